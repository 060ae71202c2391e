<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ModelSummary</name>
    <message>
        <source>%1 B</source>
        <translation>%1 Mrd.</translation>
    </message>
    <message>
        <source>%1 M</source>
        <translation>%1 Mio.</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>Familie</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <source>%1 (%2 MoE)</source>
        <translation>%1 (%2 MoE)</translation>
    </message>
    <message>
        <source>Experts</source>
        <translation>Experten</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>Routing</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>Verborgene Dimension</translation>
    </message>
    <message>
        <source>Expert intermediate</source>
        <translation>Experten-Zwischendimension</translation>
    </message>
    <message>
        <source>Attention heads</source>
        <translation>Attention-Köpfe</translation>
    </message>
    <message>
        <source>%1 (%2 key/value)</source>
        <translation>%1 (%2 Key/Value)</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>Vokabular</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Active per token</source>
        <translation>Aktiv pro Token</translation>
    </message>
    <message>
        <source>Stored as</source>
        <translation>Gespeichert als</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>Tokenizer</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
</context>
<context>
    <name>PlotExport</name>
    <message>
        <source>Unknown image format &quot;%1&quot;: use .png, .pdf or .svg.</source>
        <translation>Unbekanntes Bildformat „%1“: bitte .png, .pdf oder .svg verwenden.</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG image (*.svg)</source>
        <translation>PNG-Bild (*.png);;PDF-Dokument (*.pdf);;SVG-Bild (*.svg)</translation>
    </message>
</context>
<context>
    <name>SamplePrompts</name>
    <message>
        <source>Short prompt (paper)</source>
        <translation>Kurzer Prompt (Paper)</translation>
    </message>
    <message>
        <source>Passage (about 64 tokens)</source>
        <translation>Textabschnitt (etwa 64 Tokens)</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Explore the routing of Mixture-of-Experts language models.</source>
        <translation>Das Routing von Mixture-of-Experts-Sprachmodellen erkunden.</translation>
    </message>
    <message>
        <source>Model folder to open (default: the built-in demo model).</source>
        <translation>Zu öffnender Modellordner (Standard: das eingebaute Demo-Modell).</translation>
    </message>
</context>
<context>
    <name>moescope::gui::AnalysisWorker</name>
    <message>
        <source>Generating the demo model</source>
        <translation>Demo-Modell wird erzeugt</translation>
    </message>
    <message>
        <source>Could not create the demo model</source>
        <translation>Das Demo-Modell konnte nicht erzeugt werden</translation>
    </message>
    <message>
        <source>An unknown error occurred.</source>
        <translation>Ein unbekannter Fehler ist aufgetreten.</translation>
    </message>
    <message>
        <source>Opening %1</source>
        <translation>%1 wird geöffnet</translation>
    </message>
    <message>
        <source>Built-in demo model</source>
        <translation>Eingebautes Demo-Modell</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>Das Modell konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <source>No model is open. Open a model folder first.</source>
        <translation>Kein Modell geöffnet. Bitte zuerst einen Modellordner öffnen.</translation>
    </message>
    <message>
        <source>%1, %2, %3 s</source>
        <translation>%1, %2, %3 s</translation>
    </message>
    <message>
        <source>Analysis failed</source>
        <translation>Analyse fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cannot analyze</source>
        <translation>Analyse nicht möglich</translation>
    </message>
    <message>
        <source>Analyzing the prompt</source>
        <translation>Prompt wird analysiert</translation>
    </message>
</context>
<context>
    <name>moescope::gui::MainWindow</name>
    <message>
        <source>MoEScope</source>
        <translation>MoEScope</translation>
    </message>
    <message>
        <source>Open a model folder (Ctrl+O) or the built-in demo model.</source>
        <translation>Einen Modellordner (Strg+O) oder das eingebaute Demo-Modell öffnen.</translation>
    </message>
    <message>
        <source>&amp;Analyze</source>
        <translation>&amp;Analysieren</translation>
    </message>
    <message>
        <source>Run the model on the prompt and show its routing</source>
        <translation>Das Modell auf den Prompt anwenden und sein Routing zeigen</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>Ab&amp;brechen</translation>
    </message>
    <message>
        <source>Stop the running job</source>
        <translation>Die laufende Aufgabe anhalten</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open Model Folder…</source>
        <translation>Modellordner ö&amp;ffnen …</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>Open &amp;Demo Model</source>
        <translation>&amp;Demo-Modell öffnen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Analysis</source>
        <translation>&amp;Analyse</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About MoEScope</source>
        <translation>&amp;Über MoEScope</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>GPU: %1</source>
        <translation>GPU: %1</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>Nur CPU</translation>
    </message>
    <message>
        <source>Open Model Folder</source>
        <translation>Modellordner öffnen</translation>
    </message>
    <message>
        <source>Cancelling</source>
        <translation>Wird abgebrochen</translation>
    </message>
    <message>
        <source>%1 — MoEScope</source>
        <translation>%1 — MoEScope</translation>
    </message>
    <message>
        <source>Opened %1: it has no MoE layers, so there is no routing to show.</source>
        <translation>%1 geöffnet: Es hat keine MoE-Schichten, daher gibt es kein Routing zu zeigen.</translation>
    </message>
    <message>
        <source>Opened %1. Type a prompt and press Analyze.</source>
        <translation>%1 geöffnet. Einen Prompt eingeben und „Analysieren“ drücken.</translation>
    </message>
    <message numerus="yes">
        <source>%n MoE layer(s)</source>
        <translation>
            <numerusform>%n MoE-Schicht</numerusform>
            <numerusform>%n MoE-Schichten</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>About MoEScope</source>
        <translation>Über MoEScope</translation>
    </message>
    <message>
        <source>&lt;h3&gt;MoEScope %1&lt;/h3&gt;&lt;p&gt;An explorer of the insides of Mixture-of-Experts language models: which experts each token chooses, layer by layer.&lt;/p&gt;&lt;p&gt;After Lo et al., &lt;i&gt;A Closer Look into Mixture-of-Experts in Large Language Models&lt;/i&gt; (2024).&lt;/p&gt;</source>
        <translation>&lt;h3&gt;MoEScope %1&lt;/h3&gt;&lt;p&gt;Ein Werkzeug, um in Mixture-of-Experts-Sprachmodelle hineinzuschauen: welche Experten jedes Token wählt, Schicht für Schicht.&lt;/p&gt;&lt;p&gt;Nach Lo et al., &lt;i&gt;A Closer Look into Mixture-of-Experts in Large Language Models&lt;/i&gt; (2024).&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>Analyzed %n token(s)</source>
        <translation>
            <numerusform>%n Token analysiert</numerusform>
            <numerusform>%n Tokens analysiert</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>moescope::gui::PromptPanel</name>
    <message>
        <source>&amp;Sample:</source>
        <translation>&amp;Beispiel:</translation>
    </message>
    <message>
        <source>Replace the prompt with a sample text</source>
        <translation>Den Prompt durch einen Beispieltext ersetzen</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>&amp;Gerät:</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA-GPU</translation>
    </message>
    <message>
        <source>Looking for a GPU…</source>
        <translation>Suche nach einer GPU …</translation>
    </message>
    <message>
        <source>&amp;Precision:</source>
        <translation>&amp;Genauigkeit:</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Compute precision. Default: float32 on the CPU, bfloat16 on a GPU.</source>
        <translation>Rechengenauigkeit. Standard: float32 auf der CPU, bfloat16 auf einer GPU.</translation>
    </message>
    <message>
        <source>Type a prompt, then press Analyze (Ctrl+Return).</source>
        <translation>Einen Prompt eingeben, dann „Analysieren“ drücken (Strg+Eingabe).</translation>
    </message>
    <message>
        <source>No CUDA GPU found (or libtorch was built without CUDA)</source>
        <translation>Keine CUDA-GPU gefunden (oder libtorch wurde ohne CUDA gebaut)</translation>
    </message>
    <message>
        <source>GPU: %1</source>
        <translation>GPU: %1</translation>
    </message>
    <message>
        <source>No CUDA GPU found: computing on the CPU</source>
        <translation>Keine CUDA-GPU gefunden: Berechnung auf der CPU</translation>
    </message>
</context>
<context>
    <name>moescope::gui::RecentFolders</name>
    <message>
        <source>&amp;Clear Menu</source>
        <translation>Menü &amp;leeren</translation>
    </message>
</context>
<context>
    <name>moescope::gui::StatusProgress</name>
    <message>
        <source>layer %1 of %2</source>
        <translation>Schicht %1 von %2</translation>
    </message>
    <message>
        <source>forward pass</source>
        <translation>Vorwärtsdurchlauf</translation>
    </message>
    <message>
        <source>tokenizing</source>
        <translation>Tokenisierung</translation>
    </message>
    <message>
        <source>reading the model</source>
        <translation>Modell wird gelesen</translation>
    </message>
    <message>
        <source>writing the demo model</source>
        <translation>Demo-Modell wird geschrieben</translation>
    </message>
    <message>
        <source>about %1 s left</source>
        <translation>noch etwa %1 s</translation>
    </message>
    <message>
        <source>about %1 min left</source>
        <translation>noch etwa %1 min</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::GateScoreChart</name>
    <message>
        <source>gate score</source>
        <translation>Gate-Score</translation>
    </message>
    <message>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <source>Gate scores, layer %1, token %2 %3</source>
        <translation>Gate-Scores, Schicht %1, Token %2 %3</translation>
    </message>
    <message>
        <source>Gate scores: select a token</source>
        <translation>Gate-Scores: ein Token auswählen</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::LayerNavigator</name>
    <message>
        <source>&amp;Layer:</source>
        <translation>&amp;Schicht:</translation>
    </message>
    <message>
        <source>Decoder layer shown in every view</source>
        <translation>In allen Ansichten gezeigte Decoder-Schicht</translation>
    </message>
    <message>
        <source>no MoE layers yet</source>
        <translation>noch keine MoE-Schichten</translation>
    </message>
    <message numerus="yes">
        <source>(%n MoE layer(s), decoder %1–%2)</source>
        <translation>
            <numerusform>(%n MoE-Schicht, Decoder %1–%2)</numerusform>
            <numerusform>(%n MoE-Schichten, Decoder %1–%2)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ModelSummaryPanel</name>
    <message>
        <source>No model open</source>
        <translation>Kein Modell geöffnet</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::PlotView</name>
    <message>
        <source>Reset View</source>
        <translation>Ansicht zurücksetzen</translation>
    </message>
    <message>
        <source>Export Image…</source>
        <translation>Bild exportieren …</translation>
    </message>
    <message>
        <source>Export Plot</source>
        <translation>Diagramm exportieren</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::RoutingHeatmapView</name>
    <message>
        <source>mixing weight</source>
        <translation>Mischgewicht</translation>
    </message>
    <message>
        <source>token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <source>Token %1: %2
Expert E%3
Mixing weight: %4
Gate score: %5</source>
        <translation>Token %1: %2
Experte E%3
Mischgewicht: %4
Gate-Score: %5</translation>
    </message>
    <message>
        <source>Routing appears here after Analyze</source>
        <translation>Das Routing erscheint hier nach „Analysieren“</translation>
    </message>
    <message>
        <source>Layer %1: mixing weight of each expert per token</source>
        <translation>Schicht %1: Mischgewicht jedes Experten pro Token</translation>
    </message>
    <message>
        <source>Waiting for layer results…</source>
        <translation>Warte auf Ergebnisse der Schicht …</translation>
    </message>
    <message>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::TokenInspector</name>
    <message>
        <source>Select a token to see the experts it chose at each layer.</source>
        <translation>Ein Token auswählen, um die in jeder Schicht gewählten Experten zu sehen.</translation>
    </message>
    <message>
        <source>Token %1: &lt;b&gt;%2&lt;/b&gt;</source>
        <translation>Token %1: &lt;b&gt;%2&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Expert #%1 (weight)</source>
        <translation>Experte Nr. %1 (Gewicht)</translation>
    </message>
    <message>
        <source>E%1  %2</source>
        <translation>E%1  %2</translation>
    </message>
    <message>
        <source>Token %1: &lt;b&gt;%2&lt;/b&gt; (id %3)</source>
        <translation>Token %1: &lt;b&gt;%2&lt;/b&gt; (ID %3)</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::TokenStrip</name>
    <message>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <source>Token %1: %2</source>
        <translation>Token %1: %2</translation>
    </message>
    <message>
        <source>Layer %1:</source>
        <translation>Schicht %1:</translation>
    </message>
    <message>
        <source>E%1 (%2)</source>
        <translation>E%1 (%2)</translation>
    </message>
    <message>
        <source>Tokens appear here once a prompt is analyzed.</source>
        <translation>Die Tokens erscheinen hier, sobald ein Prompt analysiert wurde.</translation>
    </message>
    <message>
        <source>Color: top-1 expert at layer %1:</source>
        <translation>Farbe: Top-1-Experte in Schicht %1:</translation>
    </message>
    <message>
        <source>Color: top-1 expert at layer %1 (hover a token to see its experts)</source>
        <translation>Farbe: Top-1-Experte in Schicht %1 (Mauszeiger auf ein Token zeigt seine Experten)</translation>
    </message>
    <message>
        <source>Color: top-1 expert:</source>
        <translation>Farbe: Top-1-Experte:</translation>
    </message>
    <message>
        <source>Color: top-1 expert (hover a token to see its experts)</source>
        <translation>Farbe: Top-1-Experte (Mauszeiger auf ein Token zeigt seine Experten)</translation>
    </message>
    <message>
        <source>Token %1: %2 (id %3)</source>
        <translation>Token %1: %2 (ID %3)</translation>
    </message>
</context>
</TS>
