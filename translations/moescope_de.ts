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
    <message>
        <source>%1 (%2 MoE, %3 dense)</source>
        <translation>%1 (%2 MoE, %3 dicht)</translation>
    </message>
    <message>
        <source>Expert groups</source>
        <translation>Expertengruppen</translation>
    </message>
    <message>
        <source>%1 groups, best %2 kept; weights x %3</source>
        <translation>%1 Gruppen, die besten %2 behalten; Gewichte x %3</translation>
    </message>
    <message>
        <source>Shared experts</source>
        <translation>Geteilte Experten</translation>
    </message>
    <message>
        <source>%1 (analysed dequantised)</source>
        <translation>%1 (dequantisiert analysiert)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
</context>
<context>
    <name>PlotExport</name>
    <message>
        <source>Unknown image format &quot;%1&quot;: use .png, .pdf or .svg.</source>
        <translation>Unbekanntes Bildformat „%1“: bitte .png, .pdf oder .svg verwenden.</translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG image (*.svg)</source>
        <translation>PNG-Bild (*.png);;PDF-Dokument (*.pdf);;SVG-Bild (*.svg)</translation>
    </message>
    <message>
        <source>Made with MoEScope</source>
        <translation>Erstellt mit MoEScope</translation>
    </message>
    <message>
        <source>A PNG of %1 × %2 pixels is too large; lower the resolution or the size, or export a PDF or SVG.</source>
        <translation>Ein PNG mit %1 × %2 Pixeln ist zu groß; bitte Auflösung oder Größe verringern oder als PDF bzw. SVG exportieren.</translation>
    </message>
    <message>
        <source>Could not draw the figure as %1.</source>
        <translation>Die Abbildung konnte nicht als %1 gezeichnet werden.</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>SamplePrompts</name>
    <message>
        <source>Short prompt (paper)</source>
        <translation>Kurzer Prompt (Paper)</translation>
    </message>
    <message>
        <source>Passage (52 words)</source>
        <translation>Textabschnitt (52 Wörter)</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Explore the routing of Mixture-of-Experts language models.</source>
        <translation>Das Routing von Mixture-of-Experts-Sprachmodellen erkunden.</translation>
    </message>
    <message>
        <source>Model folder, GGUF file or results file (.h5) to open (default: the built-in demo model).</source>
        <translation>Zu öffnender Modellordner, GGUF-Datei oder Ergebnisdatei (.h5) (Standard: das eingebaute Demo-Modell).</translation>
    </message>
</context>
<context>
    <name>moescope::gui::AnalysisChoice</name>
    <message>
        <source>Routing (always computed)</source>
        <translation>Routing (immer berechnet)</translation>
    </message>
    <message>
        <source>Weight similarity</source>
        <translation>Gewichts-Ähnlichkeit</translation>
    </message>
    <message>
        <source>Neuron-mean similarity</source>
        <translation>Neuronenmittel-Ähnlichkeit</translation>
    </message>
    <message>
        <source>Re-ordered neuron similarity (slow)</source>
        <translation>Ähnlichkeit nach Neuronen-Umordnung (langsam)</translation>
    </message>
    <message>
        <source>Gate embedding similarity</source>
        <translation>Gate-Embedding-Ähnlichkeit</translation>
    </message>
    <message>
        <source>PCA of expert weights</source>
        <translation>PCA der Expertengewichte</translation>
    </message>
    <message>
        <source>Expert output similarity</source>
        <translation>Ähnlichkeit der Expertenausgaben</translation>
    </message>
    <message>
        <source>Output norms vs gate scores</source>
        <translation>Ausgabenormen vs. Gate-Scores</translation>
    </message>
    <message>
        <source>Neuron activations (large)</source>
        <translation>Neuronenaktivierungen (groß)</translation>
    </message>
    <message>
        <source>Diversity across layers</source>
        <translation>Diversität über die Schichten</translation>
    </message>
    <message>
        <source>Routing statistics</source>
        <translation>Routing-Statistik</translation>
    </message>
    <message>
        <source>The paper&apos;s %1</source>
        <translation>%1 im Paper</translation>
    </message>
    <message>
        <source>&amp;Defaults</source>
        <translation>&amp;Standard</translation>
    </message>
    <message>
        <source>What the model suggests: everything except the slow re-ordered neurons, plus the neuron activations when they are small enough to keep</source>
        <translation>Was das Modell nahelegt: alles außer der langsamen Neuronen-Umordnung, dazu die Neuronenaktivierungen, wenn sie klein genug zum Aufbewahren sind</translation>
    </message>
    <message>
        <source>A&amp;ll</source>
        <translation>A&amp;lle</translation>
    </message>
    <message>
        <source>A&amp;nalyses: defaults</source>
        <translation>A&amp;nalysen: Standard</translation>
    </message>
    <message>
        <source>A&amp;nalyses: %1 of %2</source>
        <translation>A&amp;nalysen: %1/%2</translation>
    </message>
    <message>
        <source>The analyses to run (routing is always computed): %1</source>
        <translation>Die auszuführenden Analysen (Routing wird immer berechnet): %1</translation>
    </message>
</context>
<context>
    <name>moescope::gui::AnalysisWorker</name>
    <message>
        <source>under 1 s</source>
        <translation>unter 1 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <source>Estimated for %1 MoE layers and %2 tokens on this %3, from the model&apos;s shapes and rates measured here:</source>
        <translation>Geschätzt für %1 MoE-Schichten und %2 Token auf dieser %3, aus den Formen des Modells und hier gemessenen Raten:</translation>
    </message>
    <message>
        <source>Read from disk: %1 (overlapped with computing). Peak memory: about %2.</source>
        <translation>Von der Festplatte gelesen: %1 (zeitgleich mit dem Rechnen). Spitzenspeicher: etwa %2.</translation>
    </message>
    <message>
        <source>≈ %1</source>
        <translation>≈ %1</translation>
    </message>
    <message>
        <source>%1 (estimated %2)</source>
        <translation>%1 (geschätzt %2)</translation>
    </message>
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
    <message>
        <source>%1, %2 s</source>
        <translation>%1, %2 s</translation>
    </message>
    <message>
        <source>Could not open the comparison results</source>
        <translation>Die Vergleichsergebnisse konnten nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Could not open the results file</source>
        <translation>Die Ergebnisdatei konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <source>none (type token ids): %1</source>
        <translation>keiner (Token-IDs eingeben): %1</translation>
    </message>
    <message numerus="yes">
        <source>Comparing %n model(s)</source>
        <translation>
            <numerusform>Vergleiche %n Modell</numerusform>
            <numerusform>Vergleiche %n Modelle</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot compare the models</source>
        <translation>Die Modelle lassen sich nicht vergleichen</translation>
    </message>
    <message>
        <source>Type a prompt first: the models are run on it.</source>
        <translation>Geben Sie zuerst einen Prompt ein: Die Modelle laufen darauf.</translation>
    </message>
    <message>
        <source>Comparison failed</source>
        <translation>Vergleich fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cannot generate</source>
        <translation>Generieren nicht möglich</translation>
    </message>
    <message>
        <source>Generating</source>
        <translation>Wird generiert</translation>
    </message>
    <message>
        <source>Generation failed</source>
        <translation>Generieren fehlgeschlagen</translation>
    </message>
    <message>
        <source>Generating: the weights do not fit in memory, so every token reads all layers from disk (about %1 a token)</source>
        <translation>Generieren: Die Gewichte passen nicht in den Speicher, daher liest jedes Token alle Schichten von der Festplatte (etwa %1 pro Token)</translation>
    </message>
    <message>
        <source>%1 is a dense model: it has no routing to show.</source>
        <translation>%1 ist ein dichtes Modell: Es hat kein Routing zu zeigen.</translation>
    </message>
</context>
<context>
    <name>moescope::gui::CompareModelsDialog</name>
    <message>
        <source>Compare Models</source>
        <translation>Modelle vergleichen</translation>
    </message>
    <message>
        <source>Models (folders or GGUF files) are run on the prompt&apos;s text and compared with the reference: routing, expert correspondence, router drift and output change. Results files of single models are compared on the tokens they were run on, by their routing alone. The order is kept: give training checkpoints in order to see router saturation over them.</source>
        <translation>Modelle (Ordner oder GGUF-Dateien) laufen auf dem Text des Prompts und werden mit der Referenz verglichen: Routing, Zuordnung der Experten, Router-Drift und Änderung der Ausgabe. Ergebnisdateien einzelner Modelle werden auf den Tokens verglichen, auf denen sie liefen, allein nach ihrem Routing. Die Reihenfolge bleibt erhalten: Geben Sie Trainings-Checkpoints der Reihe nach an, um die Router-Sättigung über sie zu sehen.</translation>
    </message>
    <message>
        <source>Add Model &amp;Folder…</source>
        <translation>Modell&amp;ordner hinzufügen …</translation>
    </message>
    <message>
        <source>Add &amp;GGUF File…</source>
        <translation>&amp;GGUF-Datei hinzufügen …</translation>
    </message>
    <message>
        <source>Add &amp;Results Files…</source>
        <translation>&amp;Ergebnisdateien hinzufügen …</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>Ent&amp;fernen</translation>
    </message>
    <message>
        <source>Move &amp;Up</source>
        <translation>Nach &amp;oben</translation>
    </message>
    <message>
        <source>Move &amp;Down</source>
        <translation>Nach &amp;unten</translation>
    </message>
    <message>
        <source>The model the others are compared with; for a run&apos;s checkpoints, the final one</source>
        <translation>Das Modell, mit dem die anderen verglichen werden; bei den Checkpoints eines Laufs der letzte</translation>
    </message>
    <message>
        <source>R&amp;eference:</source>
        <translation>R&amp;eferenz:</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen …</translation>
    </message>
    <message>
        <source>&amp;Save comparison as:</source>
        <translation>Vergleich &amp;speichern unter:</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>&amp;Vergleichen</translation>
    </message>
    <message>
        <source>Add Model Folder</source>
        <translation>Modellordner hinzufügen</translation>
    </message>
    <message>
        <source>Add GGUF File</source>
        <translation>GGUF-Datei hinzufügen</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF-Modelle (*.gguf);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Add Results Files</source>
        <translation>Ergebnisdateien hinzufügen</translation>
    </message>
    <message>
        <source>MoEScope results (*.h5 *.hdf5);;All files (*)</source>
        <translation>MoEScope-Ergebnisse (*.h5 *.hdf5);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Save Comparison As</source>
        <translation>Vergleich speichern unter</translation>
    </message>
    <message>
        <source>MoEScope results (*.h5)</source>
        <translation>MoEScope-Ergebnisse (*.h5)</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <source>Add two models or more (or two results files or more).</source>
        <translation>Fügen Sie zwei oder mehr Modelle hinzu (oder zwei oder mehr Ergebnisdateien).</translation>
    </message>
    <message>
        <source>Compare either models or results files of single models, not both.</source>
        <translation>Vergleichen Sie entweder Modelle oder Ergebnisdateien einzelner Modelle, nicht beides.</translation>
    </message>
    <message>
        <source>Choose where to save the comparison.</source>
        <translation>Wählen Sie, wo der Vergleich gespeichert wird.</translation>
    </message>
    <message>
        <source>The comparison would overwrite %1: save it elsewhere.</source>
        <translation>Der Vergleich würde %1 überschreiben: Speichern Sie ihn woanders.</translation>
    </message>
</context>
<context>
    <name>moescope::gui::ComparisonCheck</name>
    <message>
        <source>&quot;%1&quot; (id %2)</source>
        <translation>„%1“ (ID %2)</translation>
    </message>
    <message>
        <source>&quot;%1&quot;</source>
        <translation>„%1“</translation>
    </message>
    <message>
        <source>Nothing is shown to compare with: analyze a prompt or open a results file first.</source>
        <translation>Es wird nichts angezeigt, womit verglichen werden könnte: bitte zuerst einen Prompt analysieren oder eine Ergebnisdatei öffnen.</translation>
    </message>
    <message>
        <source>The comparison file has no tokens.</source>
        <translation>Die Vergleichsdatei enthält keine Tokens.</translation>
    </message>
    <message>
        <source>The comparison has %1 experts per layer, the results shown have %2.</source>
        <translation>Der Vergleich hat %1 Experten pro Schicht, die angezeigten Ergebnisse haben %2.</translation>
    </message>
    <message>
        <source>The comparison was run on %1 tokens, the results shown on %2: both must be the same text.</source>
        <translation>Der Vergleich wurde auf %1 Tokens gerechnet, die angezeigten Ergebnisse auf %2: beide müssen derselbe Text sein.</translation>
    </message>
    <message>
        <source>Token %1 differs: %2 in the comparison, %3 in the results shown. Both must be the same text, tokenized alike.</source>
        <translation>Token %1 unterscheidet sich: %2 im Vergleich, %3 in den angezeigten Ergebnissen. Beide müssen derselbe, gleich tokenisierte Text sein.</translation>
    </message>
</context>
<context>
    <name>moescope::gui::InterfaceLanguage</name>
    <message>
        <source>System Language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>The new language applies from the next start of MoEScope.</source>
        <translation>Die neue Sprache gilt ab dem nächsten Start von MoEScope.</translation>
    </message>
</context>
<context>
    <name>moescope::gui::LayerFilterEdit</name>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>none of these layers is an MoE layer (MoE layers: %1)</source>
        <translation>keine dieser Schichten ist eine MoE-Schicht (MoE-Schichten: %1)</translation>
    </message>
    <message>
        <source>Not a layer list: %1</source>
        <translation>Keine gültige Schichtliste: %1</translation>
    </message>
    <message>
        <source>Decoder layers to analyse, e.g. 0-3,31; empty: all of them</source>
        <translation>Zu analysierende Decoder-Schichten, z. B. 0-3,31; leer: alle</translation>
    </message>
    <message numerus="yes">
        <source>Decoder layers to analyse, e.g. 0-3,31; empty: all %n MoE layer(s)</source>
        <translation>
            <numerusform>Zu analysierende Decoder-Schichten, z. B. 0-3,31; leer: die %n MoE-Schicht</numerusform>
            <numerusform>Zu analysierende Decoder-Schichten, z. B. 0-3,31; leer: alle %n MoE-Schichten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Picks %n MoE layer(s): %1</source>
        <translation>
            <numerusform>Wählt %n MoE-Schicht: %1</numerusform>
            <numerusform>Wählt %n MoE-Schichten: %1</numerusform>
        </translation>
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
    <message>
        <source>Open R&amp;esults…</source>
        <translation>&amp;Ergebnisse öffnen …</translation>
    </message>
    <message>
        <source>Show a results file (.h5) of an earlier analysis; no model needed</source>
        <translation>Eine Ergebnisdatei (.h5) einer früheren Analyse anzeigen; kein Modell nötig</translation>
    </message>
    <message>
        <source>Show a second results file on the same text under the routing heatmap, e.g. instruct vs base</source>
        <translation>Eine zweite Ergebnisdatei zum selben Text unter der Routing-Heatmap zeigen, z. B. Instruct gegen Basis</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;Gehe zu</translation>
    </message>
    <message>
        <source>Open Results</source>
        <translation>Ergebnisse öffnen</translation>
    </message>
    <message>
        <source>MoEScope results (*.h5 *.hdf5);;All files (*)</source>
        <translation>MoEScope-Ergebnisse (*.h5 *.hdf5);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n Token</numerusform>
            <numerusform>%n Tokens</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Comparison Results</source>
        <translation>Vergleichsergebnisse öffnen</translation>
    </message>
    <message>
        <source>Cannot compare with %1</source>
        <translation>Vergleich mit %1 nicht möglich</translation>
    </message>
    <message>
        <source>Cannot compare these results</source>
        <translation>Diese Ergebnisse lassen sich nicht vergleichen</translation>
    </message>
    <message>
        <source>Comparing with %1</source>
        <translation>Vergleich mit %1</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Layers: %1</source>
        <translation>Schichten: %1</translation>
    </message>
    <message>
        <source>Open GGUF File</source>
        <translation>GGUF-Datei öffnen</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF-Modelle (*.gguf);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Open &amp;GGUF File…</source>
        <translation>&amp;GGUF-Datei öffnen…</translation>
    </message>
    <message>
        <source>Open a llama.cpp model file (.gguf, any part of a split one); its weights are dequantised as each layer is analysed</source>
        <translation>Eine llama.cpp-Modelldatei öffnen (.gguf, auch einen Teil eines geteilten Modells); ihre Gewichte werden beim Analysieren jeder Schicht dequantisiert</translation>
    </message>
    <message>
        <source>Co&amp;mpare Models…</source>
        <translation>Modelle ver&amp;gleichen …</translation>
    </message>
    <message>
        <source>Run two or more models on the prompt (or take results files of the same text) and show how they differ from a reference: routing, experts, outputs</source>
        <translation>Zwei oder mehr Modelle auf dem Prompt ausführen (oder Ergebnisdateien desselben Texts nehmen) und zeigen, wie sie sich von einer Referenz unterscheiden: Routing, Experten, Ausgaben</translation>
    </message>
    <message>
        <source>Second Results &amp;Under Routing…</source>
        <translation>Zweite Ergebnisse &amp;unter dem Routing …</translation>
    </message>
    <message>
        <source>C&amp;lose Second Results</source>
        <translation>Zweite Ergebnisse sch&amp;ließen</translation>
    </message>
    <message numerus="yes">
        <source>Generated %n token(s)</source>
        <translation>
            <numerusform>%n Token generiert</numerusform>
            <numerusform>%n Tokens generiert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Generation stopped after %n new token(s) (%1); the analyses of the continuation were not run.</source>
        <translation>
            <numerusform>Generieren nach %n neuen Token angehalten (%1); die Analysen der Fortsetzung wurden nicht ausgeführt.</numerusform>
            <numerusform>Generieren nach %n neuen Tokens angehalten (%1); die Analysen der Fortsetzung wurden nicht ausgeführt.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Generieren</translation>
    </message>
    <message>
        <source>Let the model continue the prompt, showing each new token&apos;s experts as it is written, then analyse prompt and continuation</source>
        <translation>Das Modell den Prompt fortsetzen lassen, dabei die Experten jedes neuen Tokens zeigen, sobald es geschrieben ist, und danach Prompt und Fortsetzung analysieren</translation>
    </message>
</context>
<context>
    <name>moescope::gui::NavigationActions</name>
    <message>
        <source>&amp;Next Layer</source>
        <translation>&amp;Nächste Schicht</translation>
    </message>
    <message>
        <source>&amp;Previous Layer</source>
        <translation>&amp;Vorherige Schicht</translation>
    </message>
    <message>
        <source>Next &amp;Token</source>
        <translation>Nächstes &amp;Token</translation>
    </message>
    <message>
        <source>Previous T&amp;oken</source>
        <translation>Vorheriges T&amp;oken</translation>
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
        <translation>Ge&amp;rät:</translation>
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
        <translation>Genau&amp;igkeit:</translation>
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
    <message>
        <source>La&amp;yers:</source>
        <translation>S&amp;chichten:</translation>
    </message>
    <message>
        <source>Your own text</source>
        <translation>Eigener Text</translation>
    </message>
    <message>
        <source>Layers: %1</source>
        <translation>Schichten: %1</translation>
    </message>
    <message>
        <source>This model has no tokenizer: type token ids, e.g. 1, 415, 2936, then press Analyze (Ctrl+Return).</source>
        <translation>Dieses Modell hat keinen Tokenizer: Token-IDs eingeben, z. B. 1, 415, 2936, dann Analysieren drücken (Strg+Eingabe).</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> Tokens</translation>
    </message>
    <message>
        <source>Generate: the most new tokens the model writes (it stops earlier at its end-of-sequence token)</source>
        <translation>Generieren: höchstens so viele neue Tokens schreibt das Modell (es hört früher bei seinem Ende-Token auf)</translation>
    </message>
    <message>
        <source>T = </source>
        <translation>T = </translation>
    </message>
    <message>
        <source>greedy</source>
        <translation>greedy</translation>
    </message>
    <message>
        <source>Generate: the sampling temperature. Greedy (0) always takes the most likely token; above 0 the tokens are drawn, more freely the higher it is, with a new seed each time (the seed is in the results&apos; summary).</source>
        <translation>Generieren: die Sampling-Temperatur. Greedy (0) nimmt immer das wahrscheinlichste Token; über 0 werden die Tokens gezogen, umso freier, je höher sie ist, jedes Mal mit neuem Seed (der Seed steht in der Zusammenfassung der Ergebnisse).</translation>
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
    <name>moescope::gui::ViewActions</name>
    <message>
        <source>&amp;Export Figure…</source>
        <translation>Abbildung &amp;exportieren …</translation>
    </message>
    <message>
        <source>Save the current view as PNG, PDF or SVG at a chosen size</source>
        <translation>Die aktuelle Ansicht als PNG, PDF oder SVG in einer gewählten Größe speichern</translation>
    </message>
    <message>
        <source>Export A&amp;ll Figures…</source>
        <translation>A&amp;lle Abbildungen exportieren …</translation>
    </message>
    <message>
        <source>Write the paper&apos;s figure set for chosen layers into a folder</source>
        <translation>Den Abbildungssatz des Papers für gewählte Schichten in einen Ordner schreiben</translation>
    </message>
    <message>
        <source>Export &amp;Data as CSV…</source>
        <translation>&amp;Daten als CSV exportieren …</translation>
    </message>
    <message>
        <source>Save the numbers the current view draws as a CSV table</source>
        <translation>Die Zahlen der aktuellen Ansicht als CSV-Tabelle speichern</translation>
    </message>
    <message>
        <source>&amp;What am I looking at?</source>
        <translation>&amp;Was sehe ich hier?</translation>
    </message>
    <message>
        <source>What the current view plots, how to read it and what the paper found</source>
        <translation>Was die aktuelle Ansicht zeigt, wie man sie liest und was das Paper herausfand</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>There is no view to export.</source>
        <translation>Es gibt keine Ansicht zum Exportieren.</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>The current view has no data to export. Click the view whose numbers you want, then choose Export Data as CSV again.</source>
        <translation>Die aktuelle Ansicht hat keine Daten zum Exportieren. Bitte die Ansicht anklicken, deren Zahlen gewünscht sind, und dann erneut „Daten als CSV exportieren“ wählen.</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>Nichts zu exportieren</translation>
    </message>
    <message>
        <source>Analyze a prompt or open a results file first.</source>
        <translation>Bitte zuerst einen Prompt analysieren oder eine Ergebnisdatei öffnen.</translation>
    </message>
    <message>
        <source>Writing figures…</source>
        <translation>Abbildungen werden geschrieben …</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Export All Figures</source>
        <translation>Alle Abbildungen exportieren</translation>
    </message>
    <message>
        <source>Writing %1 (%2 of %3)…</source>
        <translation>%1 wird geschrieben (%2 von %3) …</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n figure file(s) to %1</source>
        <translation>
            <numerusform>%n Abbildungsdatei nach %1 geschrieben</numerusform>
            <numerusform>%n Abbildungsdateien nach %1 geschrieben</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n figure(s) skipped: the run lacks their data</source>
        <translation>
            <numerusform>%n Abbildung übersprungen: dem Lauf fehlen ihre Daten</numerusform>
            <numerusform>%n Abbildungen übersprungen: dem Lauf fehlen ihre Daten</numerusform>
        </translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation>Export abgebrochen.</translation>
    </message>
    <message>
        <source>Click a view first, then press F1 to see what it shows.</source>
        <translation>Zuerst eine Ansicht anklicken, dann F1 drücken, um zu sehen, was sie zeigt.</translation>
    </message>
</context>
<context>
    <name>moescope::gui::ViewArea</name>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Token Inspector</source>
        <translation>Token-Inspektor</translation>
    </message>
</context>
<context>
    <name>moescope::view_data::ResultsLoading</name>
    <message>
        <source>Results file</source>
        <translation>Ergebnisdatei</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>Familie</translation>
    </message>
    <message>
        <source>Decoder layers</source>
        <translation>Decoder-Schichten</translation>
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
        <source>Run on</source>
        <translation>Gerechnet auf</translation>
    </message>
    <message>
        <source>Analyses</source>
        <translation>Analysen</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Written by</source>
        <translation>Geschrieben von</translation>
    </message>
    <message>
        <source>Partial</source>
        <translation>Teilweise</translation>
    </message>
    <message>
        <source>a shard: layers %1</source>
        <translation>ein Teil: Schichten %1</translation>
    </message>
    <message>
        <source>Partial results: this file is a shard of a larger run. It holds layers %1 of the model&apos;s MoE layers %2, and no summary over layers.</source>
        <translation>Teilergebnisse: Diese Datei ist ein Teil (Shard) eines größeren Laufs. Sie enthält die Schichten %1 der MoE-Schichten %2 des Modells und keine Zusammenfassung über die Schichten.</translation>
    </message>
    <message>
        <source>Of the corpus&apos;s %1 texts it holds texts %2 only, so the aggregates over texts (mean output similarity, rank counts, load, co-activation, vocabulary) are not shown.</source>
        <translation>Von den %1 Texten des Korpus enthält sie nur die Texte %2, daher werden die Aggregate über die Texte (mittlere Ausgabeähnlichkeit, Rangzählungen, Last, Koaktivierung, Vokabular) nicht angezeigt.</translation>
    </message>
    <message>
        <source>The per-token and weight results are in the shard holding text 0.</source>
        <translation>Die Ergebnisse pro Token und die Gewichtsanalysen stehen im Teil mit Text 0.</translation>
    </message>
    <message>
        <source>Join the shards with &quot;moescope-cli merge&quot; for the whole run.</source>
        <translation>Fügen Sie die Teile mit „moescope-cli merge“ zum ganzen Lauf zusammen.</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>Vergleich</translation>
    </message>
    <message>
        <source>model %1 of %2 shown (the reference); the Compare tabs show the others against it</source>
        <translation>Modell %1 von %2 angezeigt (die Referenz); die Vergleichs-Reiter zeigen die anderen im Vergleich dazu</translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>Generierung</translation>
    </message>
    <message>
        <source>from token %1: %2</source>
        <translation>ab Token %1: %2</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ActivationHeatmapView</name>
    <message>
        <source>act(W_gate x)</source>
        <translation>act(W_gate x)</translation>
    </message>
    <message>
        <source>neuron</source>
        <translation>Neuron</translation>
    </message>
    <message>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <source>Expert activations (D4) appear here after Analyze or File &gt; Open Results</source>
        <translation>Die Aktivierungen der Experten (D4) erscheinen hier nach „Analysieren“ oder Datei &gt; Ergebnisse öffnen</translation>
    </message>
    <message>
        <source>This run stored no activations (D4) at this layer.
The explorer computes them for small models; moescope-cli analyze --analyses all stores them for any model.</source>
        <translation>Dieser Lauf hat in dieser Schicht keine Aktivierungen (D4) gespeichert.
Der Explorer berechnet sie für kleine Modelle; moescope-cli analyze --analyses all speichert sie für jedes Modell.</translation>
    </message>
    <message>
        <source>Select a token to see its activations</source>
        <translation>Ein Token auswählen, um seine Aktivierungen zu sehen</translation>
    </message>
    <message>
        <source>token %1</source>
        <translation>Token %1</translation>
    </message>
    <message>
        <source>token %1 “%2”</source>
        <translation>Token %1 „%2“</translation>
    </message>
    <message>
        <source>Layer %1, %2: intermediate activations of every expert</source>
        <translation>Schicht %1, %2: Zwischenaktivierungen aller Experten</translation>
    </message>
    <message>
        <source>the %1 strongest of %2 neurons, in neuron order</source>
        <translation>die %1 stärksten von %2 Neuronen, in Neuronenreihenfolge</translation>
    </message>
    <message>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <source>%1 (chosen)</source>
        <translation>%1 (gewählt)</translation>
    </message>
    <message>
        <source>%1, neuron %2
act(W_gate x) = %3</source>
        <translation>%1, Neuron %2
act(W_gate x) = %3</translation>
    </message>
    <message>
        <source>chosen for this token</source>
        <translation>für dieses Token gewählt</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::AgreementMapView</name>
    <message>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Top-k overlap |A ∩ B| / k</source>
        <translation>Top-k-Überlappung |A ∩ B| / k</translation>
    </message>
    <message>
        <source>Output cosine</source>
        <translation>Kosinus der Ausgaben</translation>
    </message>
    <message>
        <source>Output norm ratio</source>
        <translation>Verhältnis der Ausgabenormen</translation>
    </message>
    <message>
        <source>Open a comparison (File &gt; Compare Models…) to see where models route differently</source>
        <translation>Öffnen Sie einen Vergleich (Datei &gt; Modelle vergleichen …), um zu sehen, wo Modelle anders routen</translation>
    </message>
    <message>
        <source>The comparison has no %1 for %2</source>
        <translation>Der Vergleich hat kein(e) %1 für %2</translation>
    </message>
    <message>
        <source>%1: %2 against %3, layers × tokens</source>
        <translation>%1: %2 gegen %3, Schichten × Tokens</translation>
    </message>
    <message>
        <source>layer %1, token %2 &quot;%3&quot;: no value</source>
        <translation>Schicht %1, Token %2 „%3“: kein Wert</translation>
    </message>
    <message>
        <source>layer %1, token %2 &quot;%3&quot;: %4 %5</source>
        <translation>Schicht %1, Token %2 „%3“: %4 %5</translation>
    </message>
    <message>
        <source>%1 chose %2; %3 chose %4</source>
        <translation>%1 wählte %2; %3 wählte %4</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ColourRange</name>
    <message>
        <source>colour range &apos;%1&apos; is not &apos;auto&apos; or two numbers &apos;LOWER,UPPER&apos; (e.g. 0,1 or -1,1)</source>
        <translation>Farbbereich &apos;%1&apos; ist weder &apos;auto&apos; noch zwei Zahlen &apos;UNTEN,OBEN&apos; (z. B. 0,1 oder -1,1)</translation>
    </message>
    <message>
        <source>colour range &apos;%1&apos;: the lower limit must be below the upper</source>
        <translation>Farbbereich &apos;%1&apos;: die untere Grenze muss unter der oberen liegen</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ComparedModelBox</name>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modell:</translation>
    </message>
    <message>
        <source>The model set against the reference in the comparison views</source>
        <translation>Das Modell, das die Vergleichsansichten der Referenz gegenüberstellen</translation>
    </message>
    <message>
        <source>%1 vs %2</source>
        <translation>%1 gegen %2</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ComparisonControls</name>
    <message>
        <source>Me&amp;asure:</source>
        <translation>M&amp;aß:</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::CrossSimilarityView</name>
    <message>
        <source>cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <source>Weights, matrix level (%1)</source>
        <translation>Gewichte, Matrixebene (%1)</translation>
    </message>
    <message>
        <source>Mean neurons (%1)</source>
        <translation>Mittlere Neuronen (%1)</translation>
    </message>
    <message>
        <source>Router rows</source>
        <translation>Router-Zeilen</translation>
    </message>
    <message>
        <source>expert of %1</source>
        <translation>Experte von %1</translation>
    </message>
    <message>
        <source>Open a comparison (File &gt; Compare Models…) to match the experts of two models</source>
        <translation>Öffnen Sie einen Vergleich (Datei &gt; Modelle vergleichen …), um die Experten zweier Modelle zuzuordnen</translation>
    </message>
    <message>
        <source>Layer %1: no expert correspondence (a comparison of results files holds their routing only; compare the models themselves for it)</source>
        <translation>Schicht %1: keine Zuordnung der Experten (ein Vergleich von Ergebnisdateien enthält nur deren Routing; vergleichen Sie dafür die Modelle selbst)</translation>
    </message>
    <message>
        <source>Layer %1: the comparison has no %2</source>
        <translation>Schicht %1: Der Vergleich hat kein(e) %2</translation>
    </message>
    <message>
        <source>no matching</source>
        <translation>keine Zuordnung</translation>
    </message>
    <message>
        <source>every expert matched to itself</source>
        <translation>jeder Experte sich selbst zugeordnet</translation>
    </message>
    <message>
        <source>experts matched to another: %1</source>
        <translation>einem anderen zugeordnete Experten: %1</translation>
    </message>
    <message>
        <source>Layer %1: %2, %3 against %4; %5</source>
        <translation>Schicht %1: %2, %3 gegen %4; %5</translation>
    </message>
    <message>
        <source>%1&apos;s expert %2 against %3&apos;s expert %4: cosine %5</source>
        <translation>Experte %2 von %1 gegen Experte %4 von %3: Kosinus %5</translation>
    </message>
    <message>
        <source>expert %1 is matched to the reference&apos;s expert %2</source>
        <translation>Experte %1 ist dem Experten %2 der Referenz zugeordnet</translation>
    </message>
    <message>
        <source>matched similarity %1</source>
        <translation>Ähnlichkeit der Zuordnung %1</translation>
    </message>
    <message>
        <source>router rows&apos; cosine %1</source>
        <translation>Kosinus der Router-Zeilen %1</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::DataTable</name>
    <message>
        <source>This view has no data to export yet.</source>
        <translation>Diese Ansicht hat noch keine Daten zum Exportieren.</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::DiversityCurvesView</name>
    <message>
        <source>MoE layer</source>
        <translation>MoE-Schicht</translation>
    </message>
    <message>
        <source>mean similarity between experts</source>
        <translation>mittlere Ähnlichkeit zwischen Experten</translation>
    </message>
    <message>
        <source>Expert diversity by layer appears here after Analyze or File &gt; Open Results</source>
        <translation>Die Diversität der Experten je Schicht erscheint hier nach „Analysieren“ oder Datei &gt; Ergebnisse öffnen</translation>
    </message>
    <message>
        <source>Diversity of the experts by layer (lower similarity = more diverse)</source>
        <translation>Diversität der Experten je Schicht (geringere Ähnlichkeit = vielfältiger)</translation>
    </message>
    <message>
        <source>Layer %1
%2: %3</source>
        <translation>Schicht %1
%2: %3</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ExplanationButton</name>
    <message>
        <source>What am I looking at?</source>
        <translation>Was sehe ich hier?</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::Explanations</name>
    <message>
        <source>Averaged over all pairs of different experts, these similarities give the diversity curves. Lo et al. (2024) found that experts grow more diverse with depth, except in the last layer(s), whose experts are more alike again.</source>
        <translation>Über alle Paare verschiedener Experten gemittelt, ergeben diese Ähnlichkeiten die Diversitätskurven. Lo et al. (2024) fanden, dass die Experten mit der Tiefe vielfältiger werden, außer in der oder den letzten Schichten, deren Experten einander wieder ähnlicher sind.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found that the gate-embedding similarity follows the similarity of the experts&apos; gate-projection neurons (neuron-mean, gate) closely — a high R² — and the up and down projections much less: neurons act like fine-grained experts.</source>
        <translation>Lo et al. (2024) fanden, dass die Ähnlichkeit der Gate-Embeddings der Ähnlichkeit der Gate-Projektions-Neuronen der Experten (Neuronenmittel, gate) eng folgt — mit hohem R² — und den Up- und Down-Projektionen viel weniger: Neuronen verhalten sich wie feingranulare Experten.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found that the router tends to choose the experts whose outputs have the largest norms: the top-scored expert is the largest-norm expert far more often than chance (1 in E).</source>
        <translation>Lo et al. (2024) fanden, dass der Router bevorzugt die Experten mit den größten Ausgabenormen wählt: Der am höchsten bewertete Experte ist weit öfter als zufällig (1 zu E) auch der mit der größten Norm.</translation>
    </message>
    <message>
        <source>Row and column are experts of the selected layer (&quot;F&quot;: the dense reference model&apos;s feed-forward block, when the run had one). The diagonal compares an expert with itself. Brighter = more alike; a blue-white-red map is used when values go negative. Hover a cell for its value, click it to select the pair. &quot;Same range for all layers&quot; makes colours comparable across layers.</source>
        <translation>Zeile und Spalte sind Experten der gewählten Schicht („F“: der Feed-Forward-Block des dichten Referenzmodells, falls der Lauf eines hatte). Die Diagonale vergleicht einen Experten mit sich selbst. Heller = ähnlicher; bei negativen Werten wird eine Blau-Weiß-Rot-Skala verwendet. Mit dem Mauszeiger über einer Zelle erscheint ihr Wert, ein Klick wählt das Paar. „Gleicher Bereich für alle Schichten“ macht die Farben über die Schichten vergleichbar.</translation>
    </message>
    <message>
        <source>What is plotted.</source>
        <translation>Was gezeigt wird.</translation>
    </message>
    <message>
        <source>How to read it.</source>
        <translation>Wie man es liest.</translation>
    </message>
    <message>
        <source>What the paper found.</source>
        <translation>Was das Paper fand.</translation>
    </message>
    <message>
        <source>The prompt&apos;s tokens as the model&apos;s tokenizer cut them, each chip coloured by the expert the router chose first (top-1) for it at the selected layer. The legend names the colours.</source>
        <translation>Die Tokens des Prompts, wie der Tokenizer des Modells sie zerlegt, jeder Chip in der Farbe des Experten, den der Router in der gewählten Schicht als ersten (Top-1) für ihn wählte. Die Legende benennt die Farben.</translation>
    </message>
    <message>
        <source>Click a chip, or use Left/Right (Alt+Left/Right anywhere), to select a token: every other view follows. Runs of one colour are tokens sent to the same expert; &quot;▁&quot; marks a leading space.</source>
        <translation>Einen Chip anklicken oder Links/Rechts (überall Alt+Links/Rechts) drücken, um ein Token zu wählen: Alle anderen Ansichten folgen. Gleichfarbige Folgen sind Tokens, die an denselben Experten gingen; „▁“ markiert ein führendes Leerzeichen.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) read the routing of prompts such as &quot;As an open source alternative to&quot; token by token; every other analysis of a text starts from this routing record.</source>
        <translation>Lo et al. (2024) lasen das Routing von Prompts wie „As an open source alternative to“ Token für Token; jede andere Analyse eines Texts geht von diesem Routing-Protokoll aus.</translation>
    </message>
    <message>
        <source>The MoE layer every view shows, by its decoder layer number (models with dense first layers skip some numbers).</source>
        <translation>Die MoE-Schicht, die jede Ansicht zeigt, mit ihrer Decoder-Schichtnummer (Modelle mit dichten ersten Schichten überspringen einige Nummern).</translation>
    </message>
    <message>
        <source>Drag the slider or type a layer; Page Up and Page Down (or Ctrl+Up and Ctrl+Down) step through the layers from anywhere in the window.</source>
        <translation>Den Schieberegler ziehen oder eine Schicht eingeben; Bild auf und Bild ab (oder Strg+Hoch und Strg+Runter) blättern überall im Fenster durch die Schichten.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found that expert behaviour changes with depth: experts grow more diverse in deeper layers, and the last layer is an outlier.</source>
        <translation>Lo et al. (2024) fanden, dass sich das Verhalten der Experten mit der Tiefe ändert: In tieferen Schichten werden die Experten vielfältiger, und die letzte Schicht ist ein Ausreißer.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found that routing and expert diversity change with depth; this overview shows at a glance where the load concentrates.</source>
        <translation>Lo et al. (2024) fanden, dass sich Routing und Diversität der Experten mit der Tiefe ändern; diese Übersicht zeigt auf einen Blick, wo sich die Last konzentriert.</translation>
    </message>
    <message>
        <source>For the selected token: at every layer, the experts it chose, best first, with the mixing weights the model multiplies their outputs by. Below, for the selected layer, the router&apos;s gate score of every expert beside the norm of its output.</source>
        <translation>Für das gewählte Token: in jeder Schicht die gewählten Experten, der beste zuerst, mit den Mischgewichten, mit denen das Modell ihre Ausgaben multipliziert. Darunter, für die gewählte Schicht, der Gate-Score des Routers für jeden Experten neben der Norm seiner Ausgabe.</translation>
    </message>
    <message>
        <source>Click a row to go to that layer, an expert cell to select that expert. Chosen experts are coloured, the others grey; the line under the chart says whether the top-scored expert is also the largest-norm one.</source>
        <translation>Ein Klick auf eine Zeile springt zu dieser Schicht, ein Klick auf eine Expertenzelle wählt diesen Experten. Gewählte Experten sind farbig, die anderen grau; die Zeile unter dem Diagramm sagt, ob der am höchsten bewertete Experte auch der mit der größten Norm ist.</translation>
    </message>
    <message>
        <source>For one token at one layer: the router&apos;s gate score of every expert (solid bars, left axis) and, when the run computed all experts&apos; outputs, the L2 norm of each expert&apos;s output (hatched bars, right axis).</source>
        <translation>Für ein Token in einer Schicht: der Gate-Score des Routers für jeden Experten (gefüllte Balken, linke Achse) und, wenn der Lauf die Ausgaben aller Experten berechnet hat, die L2-Norm der Ausgabe jedes Experten (schraffierte Balken, rechte Achse).</translation>
    </message>
    <message>
        <source>Chosen experts are in their colour, the others grey. Compare the two bars of an expert: if the tallest score bar stands beside the tallest norm bar, the router picked the expert that contributes most. Hover a bar for both ranks.</source>
        <translation>Gewählte Experten erscheinen in ihrer Farbe, die anderen grau. Die beiden Balken eines Experten vergleichen: Steht der höchste Score-Balken neben dem höchsten Norm-Balken, hat der Router den Experten mit dem größten Beitrag gewählt. Mit dem Mauszeiger über einem Balken erscheinen beide Ränge.</translation>
    </message>
    <message>
        <source>Experts (rows) against the prompt&apos;s tokens (columns) at the selected layer: the mixing weight the model gave each expert&apos;s output for each token, 0 where the expert was not chosen (the paper&apos;s D1).</source>
        <translation>Experten (Zeilen) gegen die Tokens des Prompts (Spalten) in der gewählten Schicht: das Mischgewicht, das das Modell der Ausgabe jedes Experten für jedes Token gab, 0 wo der Experte nicht gewählt wurde (D1 des Papers).</translation>
    </message>
    <message>
        <source>Each column has top-k bright cells, summing to 1 for Mixtral&apos;s renormalised weights. Rows that light up often are busy experts. Hover a cell for the weight and gate score; click it to select the token and the expert.</source>
        <translation>Jede Spalte hat top-k helle Zellen, die sich bei Mixtrals renormierten Gewichten zu 1 summieren. Oft leuchtende Zeilen sind stark ausgelastete Experten. Mit dem Mauszeiger über einer Zelle erscheinen Gewicht und Gate-Score; ein Klick wählt Token und Experten.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) used this view to compare the experts that a base model and its instruction-tuned version choose for the same text.</source>
        <translation>Lo et al. (2024) verglichen mit dieser Ansicht die Experten, die ein Basismodell und seine instruktionsfeinabgestimmte Version für denselben Text wählen.</translation>
    </message>
    <message>
        <source>The cosine similarity of two experts&apos; whole %1-projection weight matrices, flattened (the paper&apos;s S1, matrix level).</source>
        <translation>Die Kosinus-Ähnlichkeit der gesamten, flach gemachten %1-Projektions-Gewichtsmatrizen zweier Experten (S1 des Papers, Matrixebene).</translation>
    </message>
    <message>
        <source>Each expert reduced to its mean neuron (the mean of the rows of its %1-projection), then the cosine similarity of those means (S2, neuron level).</source>
        <translation>Jeder Experte auf sein mittleres Neuron reduziert (den Mittelwert der Zeilen seiner %1-Projektion), dann die Kosinus-Ähnlichkeit dieser Mittelwerte (S2, Neuronenebene).</translation>
    </message>
    <message>
        <source>The cosine similarity of two experts&apos; %1-projection matrices after the neurons of one are re-ordered to best match the other&apos;s (an exact linear assignment; S3).</source>
        <translation>Die Kosinus-Ähnlichkeit der %1-Projektionsmatrizen zweier Experten, nachdem die Neuronen des einen so umgeordnet wurden, dass sie denen des anderen am besten entsprechen (eine exakte lineare Zuordnung; S3).</translation>
    </message>
    <message>
        <source>Neurons need not be in the same order in two experts; re-ordering shows how much of their dissimilarity is only a permutation. The paper ran it on a few layers, as it is expensive.</source>
        <translation>Neuronen müssen in zwei Experten nicht in derselben Reihenfolge stehen; die Umordnung zeigt, wie viel ihrer Unähnlichkeit nur eine Permutation ist. Das Paper rechnete sie für wenige Schichten, da sie aufwendig ist.</translation>
    </message>
    <message>
        <source>Kendall&apos;s tau between the neuron order that best aligns two experts&apos; %1-projections and the identity order (S3).</source>
        <translation>Kendalls Tau zwischen der Neuronenreihenfolge, die die %1-Projektionen zweier Experten am besten angleicht, und der identischen Reihenfolge (S3).</translation>
    </message>
    <message>
        <source>1: the neurons are already aligned, as when experts were copied from one dense layer; near 0: the best alignment is unrelated to the stored order. Hover a cell for its value.</source>
        <translation>1: Die Neuronen sind bereits ausgerichtet, wie wenn Experten aus einer dichten Schicht kopiert wurden; nahe 0: Die beste Zuordnung hat nichts mit der gespeicherten Reihenfolge zu tun. Mit dem Mauszeiger über einer Zelle erscheint ihr Wert.</translation>
    </message>
    <message>
        <source>Where experts started from copies of one feed-forward block, their neurons keep their order and tau stays high.</source>
        <translation>Wo Experten als Kopien eines Feed-Forward-Blocks begonnen haben, behalten ihre Neuronen die Reihenfolge und Tau bleibt hoch.</translation>
    </message>
    <message>
        <source>The cosine similarity of the router&apos;s rows: row e of the router matrix is the &quot;gate embedding&quot; of expert e (S4).</source>
        <translation>Die Kosinus-Ähnlichkeit der Zeilen des Routers: Zeile e der Router-Matrix ist das „Gate-Embedding“ von Experte e (S4).</translation>
    </message>
    <message>
        <source>Every expert run on the same tokens (chosen or not); for each token the cosine of two experts&apos; outputs, turned into an angular similarity 1 − arccos(cos)/π and averaged over all tokens of all texts (D2).</source>
        <translation>Jeder Experte wird auf dieselben Tokens angewandt (gewählt oder nicht); für jedes Token der Kosinus der Ausgaben zweier Experten, umgerechnet in eine Winkelähnlichkeit 1 − arccos(cos)/π und über alle Tokens aller Texte gemittelt (D2).</translation>
    </message>
    <message>
        <source>Each cell compares two experts of the selected layer by the chosen measure: the similarity of their weights, of their neurons, of their gate embeddings or of their outputs on the same tokens.</source>
        <translation>Jede Zelle vergleicht zwei Experten der gewählten Schicht nach dem gewählten Maß: die Ähnlichkeit ihrer Gewichte, ihrer Neuronen, ihrer Gate-Embeddings oder ihrer Ausgaben auf denselben Tokens.</translation>
    </message>
    <message>
        <source>For every measure, the mean similarity over all pairs of different experts of each MoE layer (D5): one line per measure over the layers.</source>
        <translation>Für jedes Maß die mittlere Ähnlichkeit über alle Paare verschiedener Experten jeder MoE-Schicht (D5): eine Linie pro Maß über die Schichten.</translation>
    </message>
    <message>
        <source>Lower means more diverse experts. The dashed line marks the selected layer; click a point to go to its layer, hover it for the value.</source>
        <translation>Niedriger bedeutet vielfältigere Experten. Die gestrichelte Linie markiert die gewählte Schicht; ein Klick auf einen Punkt springt zu seiner Schicht, der Mauszeiger darüber zeigt den Wert.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found that the curves fall with depth — experts grow more diverse — with an upturn in the last layer(s), an outlier where experts are more alike.</source>
        <translation>Lo et al. (2024) fanden, dass die Kurven mit der Tiefe fallen — die Experten werden vielfältiger — mit einem Anstieg in der oder den letzten Schichten, einem Ausreißer, in dem die Experten einander ähnlicher sind.</translation>
    </message>
    <message>
        <source>Left: the share of the routing slots (tokens × top-k) each expert received at the selected layer, with the balanced level 1/E dashed, and the load&apos;s entropy and coefficient of variation. Right: the co-activation matrix, P(f chosen | e chosen).</source>
        <translation>Links: der Anteil der Routing-Plätze (Tokens × top-k), den jeder Experte in der gewählten Schicht erhielt, mit dem ausgewogenen Niveau 1/E gestrichelt, dazu Entropie und Variationskoeffizient der Auslastung. Rechts: die Koaktivierungsmatrix, P(f gewählt | e gewählt).</translation>
    </message>
    <message>
        <source>Bars near the dashed line mean a balanced router; the normalised entropy is 1 when balanced and falls towards 0 as a few experts take everything; the coefficient of variation is 0 when balanced. Bright co-activation cells are experts that tend to work together. Click a bar to select its expert.</source>
        <translation>Balken nahe der gestrichelten Linie bedeuten einen ausgewogenen Router; die normierte Entropie ist bei Ausgewogenheit 1 und fällt gegen 0, wenn wenige Experten alles übernehmen; der Variationskoeffizient ist bei Ausgewogenheit 0. Helle Koaktivierungszellen sind Experten, die gern zusammenarbeiten. Ein Klick auf einen Balken wählt seinen Experten.</translation>
    </message>
    <message>
        <source>Beyond the paper: load balance and co-activation follow the routing analyses of OLMoE and common practice in training MoE models.</source>
        <translation>Über das Paper hinaus: Lastverteilung und Koaktivierung folgen den Routing-Analysen von OLMoE und gängiger Praxis beim Training von MoE-Modellen.</translation>
    </message>
    <message>
        <source>Each token ranks the experts twice: by the router&apos;s gate score and by the norm of the expert&apos;s output (rank 1 = smallest, E = largest). The cell in row r, column c counts the tokens for which the expert with score rank r had norm rank c (D3).</source>
        <translation>Jedes Token ordnet die Experten zweimal: nach dem Gate-Score des Routers und nach der Norm der Ausgabe des Experten (Rang 1 = kleinster, E = größter). Die Zelle in Zeile r, Spalte c zählt die Tokens, bei denen der Experte mit Score-Rang r den Norm-Rang c hatte (D3).</translation>
    </message>
    <message>
        <source>If the router chose the experts that contribute most, the counts would sit on the diagonal and the bottom-right cell would hold every token. The top-1 agreement is the share of tokens whose top-scored expert also has the largest output norm. &quot;All layers&quot; sums the counts over every layer.</source>
        <translation>Wählte der Router die Experten mit dem größten Beitrag, lägen die Zählungen auf der Diagonale und die Zelle unten rechts enthielte jedes Token. Die Top-1-Übereinstimmung ist der Anteil der Tokens, deren am höchsten bewerteter Experte auch die größte Ausgabenorm hat. „Alle Schichten“ summiert die Zählungen über alle Schichten.</translation>
    </message>
    <message>
        <source>Every neuron of every expert (rows of the gate or up projection, columns of the down projection) as one point, standardised per feature and projected to its first principal components (S5, neuron level), coloured by expert.</source>
        <translation>Jedes Neuron jedes Experten (Zeilen der Gate- oder Up-Projektion, Spalten der Down-Projektion) als ein Punkt, je Merkmal standardisiert und auf die ersten Hauptkomponenten projiziert (S5, Neuronenebene), nach Experte eingefärbt.</translation>
    </message>
    <message>
        <source>Separate clouds mean experts with distinct neurons; overlapping clouds mean experts made of similar neurons. Hover a point for its expert and neuron.</source>
        <translation>Getrennte Wolken bedeuten Experten mit unterschiedlichen Neuronen; überlappende Wolken bedeuten Experten aus ähnlichen Neuronen. Mit dem Mauszeiger über einem Punkt erscheinen Experte und Neuron.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) projected the neurons of Mixtral&apos;s experts together with those of the dense Mistral 7B (&quot;F&quot;) to see how the experts relate to a dense layer.</source>
        <translation>Lo et al. (2024) projizierten die Neuronen der Experten von Mixtral zusammen mit denen des dichten Mistral 7B („F“), um zu sehen, wie sich die Experten zu einer dichten Schicht verhalten.</translation>
    </message>
    <message>
        <source>Each expert&apos;s whole weight matrix as one point, standardised per feature and projected to its first two principal components (S5, matrix level); &quot;F&quot; is the dense reference.</source>
        <translation>Die gesamte Gewichtsmatrix jedes Experten als ein Punkt, je Merkmal standardisiert und auf die ersten beiden Hauptkomponenten projiziert (S5, Matrixebene); „F“ ist die dichte Referenz.</translation>
    </message>
    <message>
        <source>Experts close together have similar weights; an expert far from the others is distinct. Axes are the principal components: only distances matter, not the direction.</source>
        <translation>Nahe beieinanderliegende Experten haben ähnliche Gewichte; ein Experte weit weg von den anderen ist eigenständig. Die Achsen sind die Hauptkomponenten: Nur Abstände zählen, nicht die Richtung.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) used these projections next to the similarity matrices: they show the same relations between experts in one picture.</source>
        <translation>Lo et al. (2024) nutzten diese Projektionen neben den Ähnlichkeitsmatrizen: Sie zeigen dieselben Beziehungen zwischen Experten in einem Bild.</translation>
    </message>
    <message>
        <source>For the selected token at the selected layer: the intermediate activation act(W_gate x) of every neuron (columns) of every expert (rows), with the chosen experts marked (D4).</source>
        <translation>Für das gewählte Token in der gewählten Schicht: die Zwischenaktivierung act(W_gate x) jedes Neurons (Spalten) jedes Experten (Zeilen), mit markierten gewählten Experten (D4).</translation>
    </message>
    <message>
        <source>Bright cells are neurons that fire strongly for this token. Compare the chosen experts&apos; rows with the rest: a few strong neurons carry most of an expert&apos;s output.</source>
        <translation>Helle Zellen sind Neuronen, die für dieses Token stark feuern. Die Zeilen der gewählten Experten mit den übrigen vergleichen: Wenige starke Neuronen tragen den Großteil der Ausgabe eines Experten.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) looked at these intermediate states to study neurons as fine-grained experts: the activation pattern shows which neurons of which expert a token uses.</source>
        <translation>Lo et al. (2024) betrachteten diese Zwischenzustände, um Neuronen als feingranulare Experten zu untersuchen: Das Aktivierungsmuster zeigt, welche Neuronen welches Experten ein Token nutzt.</translation>
    </message>
    <message>
        <source>Every MoE layer (row) against every routed expert (column): the expert&apos;s load at that layer, the share of the routing slots (tokens × top-k) sent to it, as Routing Statistics shows it per layer. Hatched rows have no load, or not yet.</source>
        <translation>Jede MoE-Schicht (Zeile) gegen jeden gerouteten Experten (Spalte): die Auslastung des Experten in dieser Schicht, also der Anteil der Routing-Plätze (Tokens × top-k), der an ihn ging, wie ihn die Routing-Statistik je Schicht zeigt. Schraffierte Zeilen haben keine Auslastung oder noch keine.</translation>
    </message>
    <message>
        <source>Bright cells are busy experts; a balanced router gives every cell 1/E. The selected layer and expert are outlined in red. Click a cell to go to its layer and select its expert.</source>
        <translation>Helle Zellen sind stark ausgelastete Experten; ein ausgewogener Router gibt jeder Zelle 1/E. Die gewählte Schicht und der gewählte Experte sind rot umrandet. Ein Klick auf eine Zelle springt zu ihrer Schicht und wählt ihren Experten.</translation>
    </message>
    <message>
        <source>For each projection (up, gate, down) and each MoE layer, R² of the least-squares line through the pairs of different experts: the similarity of their router rows (gate embedding) against the similarity of their mean neurons (S4). Over the plot, R² averaged over the layers, the paper&apos;s table.</source>
        <translation>Für jede Projektion (up, gate, down) und jede MoE-Schicht das R² der Ausgleichsgeraden durch die Paare verschiedener Experten: die Ähnlichkeit ihrer Router-Zeilen (Gate-Embedding) gegen die Ähnlichkeit ihrer mittleren Neuronen (S4). Über dem Diagramm das über die Schichten gemittelte R², die Tabelle des Papers.</translation>
    </message>
    <message>
        <source>R² near 1: experts the router treats alike have alike weights; near 0: no linear link. Click a point to go to its layer; Export Data writes the table as CSV or a LaTeX tabular.</source>
        <translation>R² nahe 1: Experten, die der Router ähnlich behandelt, haben ähnliche Gewichte; nahe 0: kein linearer Zusammenhang. Ein Klick auf einen Punkt wählt seine Schicht; Daten exportieren schreibt die Tabelle als CSV oder LaTeX-Tabelle.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found the link strongest for the gate projection (mean R² 0.33 for Mixtral, 0.40 for DeepSeek, 0.15 for Grok) and close to 0 for up and down.</source>
        <translation>Lo et al. (2024) fanden den Zusammenhang am stärksten für die Gate-Projektion (mittleres R² 0,33 für Mixtral, 0,40 für DeepSeek, 0,15 für Grok) und nahe 0 für up und down.</translation>
    </message>
    <message>
        <source>For each chosen layer (a row) and token (a column), the cosine similarity between the outputs of every pair of experts run on that token (D2), with &quot;F&quot;, the dense reference model&apos;s feed-forward block, when the run had one. Each panel is titled with the experts the router chose for the token (&quot;exp 1,6&quot;); all panels share one colour scale.</source>
        <translation>Für jede gewählte Schicht (eine Zeile) und jedes Token (eine Spalte) die Kosinus-Ähnlichkeit der Ausgaben aller Expertenpaare für dieses Token (D2), mit „F“, dem Feed-Forward-Block des dichten Referenzmodells, wenn der Lauf eines hatte. Jedes Feld trägt als Titel die Experten, die der Router für das Token gewählt hat („exp 1,6“); alle Felder teilen eine Farbskala.</translation>
    </message>
    <message>
        <source>Bright panels: the experts answer the token alike; dark or blue cells: experts whose outputs point apart. Compare rows to see how the same token&apos;s outputs diverge with depth. Type the layers and tokens to show, or leave them empty to follow the selection (the first, middle and last layers; the selected token and its neighbours). Hover a cell for its value; click a panel to select its layer and token.</source>
        <translation>Helle Felder: Die Experten antworten auf das Token gleich; dunkle oder blaue Zellen: Experten, deren Ausgaben auseinanderzeigen. Vergleichen Sie die Zeilen, um zu sehen, wie die Ausgaben desselben Tokens mit der Tiefe auseinandergehen. Geben Sie die zu zeigenden Schichten und Tokens ein oder lassen Sie die Felder leer, um der Auswahl zu folgen (erste, mittlere und letzte Schicht; das gewählte Token und seine Nachbarn). Zeigen Sie auf eine Zelle für ihren Wert; ein Klick auf ein Feld wählt seine Schicht und sein Token.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) drew these panels for Mixtral&apos;s layers 6, 27 and 31: the experts&apos; outputs are dissimilar in most layers but strikingly alike in the last one, where F also stands apart from them.</source>
        <translation>Lo et al. (2024) zeichneten diese Felder für Mixtrals Schichten 6, 27 und 31: Die Ausgaben der Experten sind in den meisten Schichten unähnlich, in der letzten aber auffallend gleich, wo sich auch F von ihnen abhebt.</translation>
    </message>
    <message>
        <source>Two models run on the same tokens: every MoE layer (row) against every token (column). The measure chosen above the map: the share of the token&apos;s top-k experts that both models chose (|A ∩ B| / k, 1 = the same experts), or the cosine between the two models&apos; MoE block outputs, or the ratio of their norms.</source>
        <translation>Zwei Modelle auf denselben Tokens: jede MoE-Schicht (Zeile) gegen jedes Token (Spalte). Das über der Karte gewählte Maß: der Anteil der Top-k-Experten des Tokens, den beide Modelle wählten (|A ∩ B| / k, 1 = dieselben Experten), oder der Kosinus zwischen den Ausgaben der MoE-Blöcke beider Modelle oder das Verhältnis ihrer Normen.</translation>
    </message>
    <message>
        <source>Dark cells are where the compared model routes, or computes, differently from the reference. A column dark from some layer down is a token whose path changed there and stayed changed; a row dark everywhere is a layer whose router changed. Click a cell to select its layer and token in every view.</source>
        <translation>Dunkle Zellen zeigen, wo das verglichene Modell anders routet oder rechnet als die Referenz. Eine ab einer Schicht dunkle Spalte ist ein Token, dessen Weg sich dort änderte und geändert blieb; eine durchweg dunkle Zeile ist eine Schicht, deren Router sich änderte. Klicken Sie auf eine Zelle, um ihre Schicht und ihr Token in jeder Ansicht auszuwählen.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) compared Mixtral base with Mixtral instruct and found the experts barely changed by instruction tuning; this map shows where routing did change, token by token.</source>
        <translation>Lo et al. (2024) verglichen Mixtral base mit Mixtral instruct und fanden die Experten durch das Instruction-Tuning kaum verändert; diese Karte zeigt, wo sich das Routing doch änderte, Token für Token.</translation>
    </message>
    <message>
        <source>Per MoE layer, how far each compared model routes as the reference does, over the text&apos;s tokens: top-1 agreement (the same first expert), top-k overlap (mean |A ∩ B| / k), Jaccard (|A ∩ B| / |A ∪ B|) or Kendall&apos;s tau of the two routers&apos; scores. With three models or more, Over models puts the models on the horizontal axis instead: the mean over layers, and the selected layer.</source>
        <translation>Pro MoE-Schicht, wie weit jedes verglichene Modell über die Tokens des Texts so routet wie die Referenz: Top-1-Übereinstimmung (derselbe erste Experte), Top-k-Überlappung (Mittel von |A ∩ B| / k), Jaccard (|A ∩ B| / |A ∪ B|) oder Kendalls Tau der Scores beider Router. Ab drei Modellen legt „Über Modelle“ stattdessen die Modelle auf die waagrechte Achse: das Mittel über die Schichten und die gewählte Schicht.</translation>
    </message>
    <message>
        <source>1 is identical routing. A curve that falls with depth shows differences that grow layer by layer. Click a point to go to its layer.</source>
        <translation>1 ist identisches Routing. Eine mit der Tiefe fallende Kurve zeigt Unterschiede, die Schicht für Schicht wachsen. Klicken Sie auf einen Punkt, um zu seiner Schicht zu gehen.</translation>
    </message>
    <message>
        <source>Muennighoff et al. (2024, OLMoE) call the top-k overlap with the final checkpoint router saturation: compare a run&apos;s checkpoints with the last one as reference to see how early each layer&apos;s routing settles.</source>
        <translation>Muennighoff et al. (2024, OLMoE) nennen die Top-k-Überlappung mit dem letzten Checkpoint Router-Sättigung: Vergleichen Sie die Checkpoints eines Laufs mit dem letzten als Referenz, um zu sehen, wie früh sich das Routing jeder Schicht festigt.</translation>
    </message>
    <message>
        <source>At the selected layer, every expert of the compared model (rows) against every expert of the reference (columns): the cosine of their weight matrices (matrix level), of their mean neurons, or of their rows of the router. Outlined cells are the one-to-one matching of the experts that maximises the mean cosine over the gate, up and down projections.</source>
        <translation>In der gewählten Schicht jeder Experte des verglichenen Modells (Zeilen) gegen jeden Experten der Referenz (Spalten): der Kosinus ihrer Gewichtsmatrizen (Matrixebene), ihrer mittleren Neuronen oder ihrer Zeilen des Routers. Umrandete Zellen sind die eins-zu-eins-Zuordnung der Experten, die den mittleren Kosinus über die Gate-, Up- und Down-Projektion maximiert.</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found Mixtral&apos;s experts nearly unchanged by instruction tuning (matrix-level cosine near 1 between base and instruct); the diagonal here shows it for any pair of models.</source>
        <translation>Lo et al. (2024) fanden die Experten von Mixtral durch das Instruction-Tuning fast unverändert (Kosinus auf Matrixebene nahe 1 zwischen base und instruct); die Diagonale hier zeigt es für jedes Modellpaar.</translation>
    </message>
    <message>
        <source>Rows where the models chose different experts are tinted. Click a row to go to its layer.</source>
        <translation>Zeilen, in denen die Modelle andere Experten wählten, sind getönt. Klicken Sie auf eine Zeile, um zu ihrer Schicht zu gehen.</translation>
    </message>
    <message>
        <source>The paper&apos;s comparison of base and instruct models, one token at a time.</source>
        <translation>Der Vergleich von base- und instruct-Modellen aus dem Paper, ein Token nach dem anderen.</translation>
    </message>
    <message>
        <source>A fine-tuned or quantised copy keeps its experts: the matching runs down the diagonal, bright. An outline off the diagonal (in orange) is an expert that now resembles another expert of the reference most. Click a cell to select the reference&apos;s expert of its column in every view.</source>
        <translation>Eine feinabgestimmte oder quantisierte Kopie behält ihre Experten: Die Zuordnung läuft hell die Diagonale hinab. Eine Umrandung neben der Diagonale (in Orange) ist ein Experte, der nun einem anderen Experten der Referenz am ähnlichsten ist. Klicken Sie auf eine Zelle, um den Experten der Referenz in ihrer Spalte in jeder Ansicht auszuwählen.</translation>
    </message>
    <message>
        <source>For the selected token, at every layer: the experts each model chose, best first, with the router&apos;s score of each and, where the run computed them, the norms of their outputs.</source>
        <translation>Für das gewählte Token in jeder Schicht: die Experten, die jedes Modell wählte, der beste zuerst, jeweils mit dem Score des Routers und, wo der Lauf sie berechnete, den Normen ihrer Ausgaben.</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ExportAllDialog</name>
    <message>
        <source>Export All Figures</source>
        <translation>Alle Abbildungen exportieren</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen …</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>&amp;Ordner:</translation>
    </message>
    <message>
        <source>e.g. 0,15,31 or 0-3 or all</source>
        <translation>z. B. 0,15,31 oder 0-3 oder all</translation>
    </message>
    <message>
        <source>Decoder layer numbers, as the layer slider shows them (%1)</source>
        <translation>Decoder-Schichtnummern, wie der Schicht-Schieberegler sie zeigt (%1)</translation>
    </message>
    <message>
        <source>&amp;Layers:</source>
        <translation>&amp;Schichten:</translation>
    </message>
    <message>
        <source>PNG</source>
        <translation>PNG</translation>
    </message>
    <message>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <source>SVG</source>
        <translation>SVG</translation>
    </message>
    <message>
        <source>Formats:</source>
        <translation>Formate:</translation>
    </message>
    <message>
        <source>&amp;Size (width × height):</source>
        <translation>&amp;Größe (Breite × Höhe):</translation>
    </message>
    <message>
        <source>Same colour range for all layers</source>
        <translation>Gleicher Farbbereich für alle Schichten</translation>
    </message>
    <message>
        <source>The similarity heatmaps of every layer share one colour scale, so layers compare by colour</source>
        <translation>Die Ähnlichkeits-Heatmaps aller Schichten teilen eine Farbskala, sodass sich die Schichten über die Farbe vergleichen lassen</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <source>Choose a folder for the figures.</source>
        <translation>Bitte einen Ordner für die Abbildungen wählen.</translation>
    </message>
    <message>
        <source>Choose at least one format.</source>
        <translation>Bitte mindestens ein Format wählen.</translation>
    </message>
    <message>
        <source>The similarity heatmaps&apos; colour scale: auto (from the values off the diagonal),
or fixed limits &apos;lower,upper&apos; such as 0,1; values beyond them are marked</source>
        <translation>Farbskala der Ähnlichkeits-Heatmaps: auto (aus den Werten außerhalb der Diagonale)
oder feste Grenzen &apos;unten,oben&apos; wie 0,1; Werte außerhalb werden markiert</translation>
    </message>
    <message>
        <source>Similarity colour &amp;range:</source>
        <translation>Farb&amp;bereich der Ähnlichkeit:</translation>
    </message>
    <message>
        <source>Writes the paper&apos;s figure set: per layer the weight similarity (up, gate, down), neuron-mean similarity, gate-embedding similarity, expert-output similarity, routing heatmap, rank counts, routing statistics and the gate scores of the selected token; once the diversity curves, the rank counts over all layers (as a heatmap and as the paper&apos;s bars), the routing overview and the expert-output similarity of single tokens (first, middle and last layers; the tokens around the selected one).</source>
        <translation>Schreibt den Abbildungssatz des Papers: je Schicht die Gewichtsähnlichkeit (up, gate, down), die Neuron-Mittelwert-Ähnlichkeit, die Gate-Embedding-Ähnlichkeit, die Ähnlichkeit der Expertenausgaben, die Routing-Heatmap, die Rangzählungen, die Routing-Statistik und die Gate-Scores des gewählten Tokens; einmal die Diversitätskurven, die Rangzählungen über alle Schichten (als Heatmap und als Balken des Papers), die Routing-Übersicht und die Ähnlichkeit der Expertenausgaben einzelner Tokens (erste, mittlere und letzte Schicht; die Tokens um das gewählte herum).</translation>
    </message>
    <message>
        <source>Gate scores are drawn for the selected token, number %1, and the token outputs for it and its neighbours.</source>
        <translation>Die Gate-Scores werden für das gewählte Token Nummer %1 gezeichnet, die Token-Ausgaben für es und seine Nachbarn.</translation>
    </message>
    <message>
        <source>Select a token to include its gate scores (the token outputs show the first tokens).</source>
        <translation>Wählen Sie ein Token, um seine Gate-Scores aufzunehmen (die Token-Ausgaben zeigen die ersten Tokens).</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::FigureBatch</name>
    <message>
        <source>layer %1 %2: %3</source>
        <translation>Schicht %1 %2: %3</translation>
    </message>
    <message>
        <source>Choose a folder for the figures.</source>
        <translation>Bitte einen Ordner für die Abbildungen wählen.</translation>
    </message>
    <message>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 ist eine Datei, kein Ordner.</translation>
    </message>
    <message>
        <source>Could not create the folder %1.</source>
        <translation>Der Ordner %1 konnte nicht angelegt werden.</translation>
    </message>
    <message>
        <source>The folder %1 is not writable.</source>
        <translation>In den Ordner %1 kann nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>The run has none of the chosen figures for these layers.</source>
        <translation>Der Lauf hat für diese Schichten keine der gewählten Abbildungen.</translation>
    </message>
    <message>
        <source>Could not draw %1.</source>
        <translation>%1 konnte nicht gezeichnet werden.</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::FigureCatalog</name>
    <message>
        <source>the run has no such layer</source>
        <translation>der Lauf hat keine solche Schicht</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::FigureExportDialog</name>
    <message>
        <source>Export Figure</source>
        <translation>Abbildung exportieren</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen …</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Datei:</translation>
    </message>
    <message>
        <source>PNG image</source>
        <translation>PNG-Bild</translation>
    </message>
    <message>
        <source>PDF document (vector)</source>
        <translation>PDF-Dokument (Vektor)</translation>
    </message>
    <message>
        <source>SVG image (vector)</source>
        <translation>SVG-Bild (Vektor)</translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation>F&amp;ormat:</translation>
    </message>
    <message>
        <source>&amp;Size (width × height):</source>
        <translation>&amp;Größe (Breite × Höhe):</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <source>A raster image of exactly this size at this resolution; the file records the DPI.</source>
        <translation>Ein Rasterbild genau dieser Größe in dieser Auflösung; die Datei vermerkt die DPI.</translation>
    </message>
    <message>
        <source>Vector graphics: the page is exactly this size (to the nearest point) and the fonts are embedded.</source>
        <translation>Vektorgrafik: Die Seite hat genau diese Größe (auf den nächsten Punkt gerundet), die Schriften sind eingebettet.</translation>
    </message>
    <message>
        <source>Vector graphics: width and height are exactly this size; text stays text, editable in Inkscape or Illustrator.</source>
        <translation>Vektorgrafik: Breite und Höhe haben genau diese Größe; Text bleibt Text, bearbeitbar in Inkscape oder Illustrator.</translation>
    </message>
    <message>
        <source>Choose a file to export to.</source>
        <translation>Bitte eine Datei für den Export wählen.</translation>
    </message>
    <message>
        <source>The file name must end in .png, .pdf or .svg.</source>
        <translation>Der Dateiname muss auf .png, .pdf oder .svg enden.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>Der Ordner %1 existiert nicht.</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::FigureSize</name>
    <message>
        <source>A figure side must be between 1 mm and 2 m (asked for %1 × %2 %3).</source>
        <translation>Eine Seite der Abbildung muss zwischen 1 mm und 2 m liegen (verlangt: %1 × %2 %3).</translation>
    </message>
    <message>
        <source>The resolution must be between 10 and 2400 DPI (asked for %1).</source>
        <translation>Die Auflösung muss zwischen 10 und 2400 DPI liegen (verlangt: %1).</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::FigureSizeEditor</name>
    <message>
        <source>Width</source>
        <translation>Breite</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>Höhe</translation>
    </message>
    <message>
        <source>cm</source>
        <translation>cm</translation>
    </message>
    <message>
        <source>inches</source>
        <translation>Zoll</translation>
    </message>
    <message>
        <source>Use &amp;View Size</source>
        <translation>&amp;Ansichtsgröße verwenden</translation>
    </message>
    <message>
        <source>The size the view has on screen</source>
        <translation>Die Größe, die die Ansicht auf dem Bildschirm hat</translation>
    </message>
    <message>
        <source> DPI</source>
        <translation> DPI</translation>
    </message>
    <message>
        <source>PNG resolution: pixels per inch of the printed figure</source>
        <translation>PNG-Auflösung: Pixel pro Zoll der gedruckten Abbildung</translation>
    </message>
    <message>
        <source>= %1 × %2 pixels</source>
        <translation>= %1 × %2 Pixel</translation>
    </message>
    <message>
        <source>(vector formats have no pixels)</source>
        <translation>(Vektorformate haben keine Pixel)</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::FigureStyleEditor</name>
    <message>
        <source>The view&apos;s title</source>
        <translation>Titel der Ansicht</translation>
    </message>
    <message>
        <source>No title</source>
        <translation>Kein Titel</translation>
    </message>
    <message>
        <source>This title:</source>
        <translation>Dieser Titel:</translation>
    </message>
    <message>
        <source>e.g. the model&apos;s name</source>
        <translation>z. B. der Name des Modells</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titel:</translation>
    </message>
    <message>
        <source>Put the &amp;model&apos;s name before the title</source>
        <translation>&amp;Modellnamen vor den Titel setzen</translation>
    </message>
    <message>
        <source>&amp;Captions under plots (agreement, entropy)</source>
        <translation>&amp;Beschriftungen unter Diagrammen (Übereinstimmung, Entropie)</translation>
    </message>
    <message>
        <source>Interface font</source>
        <translation>Schrift der Oberfläche</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> pt</translation>
    </message>
    <message>
        <source>By width</source>
        <translation>Nach Breite</translation>
    </message>
    <message>
        <source>&amp;Paper Style</source>
        <translation>&amp;Stil des Artikels</translation>
    </message>
    <message>
        <source>The look of the paper&apos;s own figures: the model&apos;s name as the only title, no captions</source>
        <translation>Wie die Abbildungen des Artikels: der Modellname als einziger Titel, keine Beschriftungen</translation>
    </message>
    <message>
        <source>Fo&amp;nt:</source>
        <translation>Sch&amp;rift:</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::GateFitView</name>
    <message>
        <source>mean R²</source>
        <translation>mittleres R²</translation>
    </message>
    <message>
        <source>MoE layer</source>
        <translation>MoE-Schicht</translation>
    </message>
    <message>
        <source>R²</source>
        <translation>R²</translation>
    </message>
    <message>
        <source>The gate embedding&apos;s fit to the expert weights appears here after Analyze or File &gt; Open Results</source>
        <translation>Der Zusammenhang von Gate-Embedding und Expertengewichten erscheint hier nach Analysieren oder Datei &gt; Ergebnisse öffnen</translation>
    </message>
    <message>
        <source>This run has no gate-embedding fit (it needs the gate and neuron-mean analyses)</source>
        <translation>Dieser Lauf hat keinen Gate-Embedding-Zusammenhang (er braucht die Analysen gate und neuron-mean)</translation>
    </message>
    <message>
        <source>Gate embedding against expert weights: R² per layer</source>
        <translation>Gate-Embedding gegen Expertengewichte: R² je Schicht</translation>
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
    <message>
        <source>output norm</source>
        <translation>Ausgabenorm</translation>
    </message>
    <message>
        <source>Top-scored expert E%1 is the largest-norm expert</source>
        <translation>Der am höchsten bewertete Experte E%1 ist der Experte mit der größten Norm</translation>
    </message>
    <message>
        <source>Top-scored expert E%1 is not the largest-norm expert (that is E%2)</source>
        <translation>Der am höchsten bewertete Experte E%1 ist nicht der Experte mit der größten Norm (das ist E%2)</translation>
    </message>
    <message>
        <source>Gate scores and output norms, layer %1, token %2 %3</source>
        <translation>Gate-Scores und Ausgabenormen, Schicht %1, Token %2 %3</translation>
    </message>
    <message>
        <source>E%1
gate score %2 (rank %3 of %4)</source>
        <translation>E%1
Gate-Score %2 (Rang %3 von %4)</translation>
    </message>
    <message>
        <source>output norm %1 (rank %2 of %3)</source>
        <translation>Ausgabenorm %1 (Rang %2 von %3)</translation>
    </message>
    <message>
        <source>(rank %1 = largest)</source>
        <translation>(Rang %1 = größter)</translation>
    </message>
    <message>
        <source>+%1</source>
        <translation>+%1</translation>
    </message>
    <message numerus="yes">
        <source>%n other expert(s), not drawn one by one
largest gate score among them %1</source>
        <translation>
            <numerusform>%n weiterer Experte, nicht einzeln gezeichnet
größter Gate-Score darunter %1</numerusform>
            <numerusform>%n weitere Experten, nicht einzeln gezeichnet
größter Gate-Score darunter %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>moescope::widgets::LayerList</name>
    <message>
        <source>&quot;%1&quot; is not a layer number or a range like 0-3.</source>
        <translation>„%1“ ist keine Schichtnummer und kein Bereich wie 0-3.</translation>
    </message>
    <message>
        <source>Layer %1 is not among the analysed MoE layers (%2).</source>
        <translation>Schicht %1 gehört nicht zu den analysierten MoE-Schichten (%2).</translation>
    </message>
    <message>
        <source>There are no layers to choose from yet.</source>
        <translation>Es gibt noch keine Schichten zur Auswahl.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a token position or a range like 4-6.</source>
        <translation>„%1“ ist keine Token-Position und kein Bereich wie 4-6.</translation>
    </message>
    <message>
        <source>Token %1 is past the end of the text (positions 0-%2).</source>
        <translation>Token %1 liegt hinter dem Ende des Textes (Positionen 0-%2).</translation>
    </message>
    <message>
        <source>There are no tokens to choose from yet.</source>
        <translation>Es gibt noch keine Tokens zur Auswahl.</translation>
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
    <name>moescope::widgets::MeasureNames</name>
    <message>
        <source>Weight similarity (%1)</source>
        <translation>Gewichtsähnlichkeit (%1)</translation>
    </message>
    <message>
        <source>Neuron-mean similarity (%1)</source>
        <translation>Neuronenmittel-Ähnlichkeit (%1)</translation>
    </message>
    <message>
        <source>Re-ordered neuron similarity (%1)</source>
        <translation>Ähnlichkeit nach Neuronen-Umordnung (%1)</translation>
    </message>
    <message>
        <source>Kendall&apos;s tau of the neuron order (%1)</source>
        <translation>Kendalls Tau der Neuronenreihenfolge (%1)</translation>
    </message>
    <message>
        <source>Gate-embedding similarity</source>
        <translation>Gate-Embedding-Ähnlichkeit</translation>
    </message>
    <message>
        <source>Expert-output similarity (mean)</source>
        <translation>Ähnlichkeit der Expertenausgaben (Mittel)</translation>
    </message>
    <message>
        <source>Weights (%1)</source>
        <translation>Gewichte (%1)</translation>
    </message>
    <message>
        <source>Neuron mean (%1)</source>
        <translation>Neuronenmittel (%1)</translation>
    </message>
    <message>
        <source>Re-ordered (%1)</source>
        <translation>Umgeordnet (%1)</translation>
    </message>
    <message>
        <source>Kendall&apos;s tau (%1)</source>
        <translation>Kendalls Tau (%1)</translation>
    </message>
    <message>
        <source>Gate embedding</source>
        <translation>Gate-Einbettung</translation>
    </message>
    <message>
        <source>Expert outputs</source>
        <translation>Expertenausgaben</translation>
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
    <name>moescope::widgets::ModelsSideBySideModel</name>
    <message>
        <source>no routing</source>
        <translation>kein Routing</translation>
    </message>
    <message>
        <source>E%1 %2</source>
        <translation>E%1 %2</translation>
    </message>
    <message>
        <source>%1 chose other experts than %2 at layer %3</source>
        <translation>%1 wählte in Schicht %3 andere Experten als %2</translation>
    </message>
    <message>
        <source>%1 at layer %2: expert, router score, output norm</source>
        <translation>%1 in Schicht %2: Experte, Score des Routers, Norm der Ausgabe</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>%1 (reference)</source>
        <translation>%1 (Referenz)</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::OutputSimilarityGridView</name>
    <message>
        <source>first, middle, last</source>
        <translation>erste, mittlere, letzte</translation>
    </message>
    <message>
        <source>The layers to show, one row each: &quot;6, 27, 31&quot; or &quot;2-4&quot;.
Empty: the first, middle and last layers with output cosines.</source>
        <translation>Die zu zeigenden Schichten, je eine Zeile: „6, 27, 31“ oder „2-4“.
Leer: die erste, mittlere und letzte Schicht mit Ausgabe-Kosinussen.</translation>
    </message>
    <message>
        <source>around the selected one</source>
        <translation>um das gewählte herum</translation>
    </message>
    <message>
        <source>The token positions to show, one column each: &quot;3, 7, 12&quot; or &quot;4-6&quot;.
Empty: the selected token and its neighbours.</source>
        <translation>Die zu zeigenden Token-Positionen, je eine Spalte: „3, 7, 12“ oder „4-6“.
Leer: das gewählte Token und seine Nachbarn.</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <source>Choose at most %1 layers.</source>
        <translation>Wählen Sie höchstens %1 Schichten.</translation>
    </message>
    <message>
        <source>Choose at most %1 tokens.</source>
        <translation>Wählen Sie höchstens %1 Tokens.</translation>
    </message>
    <message>
        <source>Per-token output similarity (D2) appears here after Analyze or File &gt; Open Results</source>
        <translation>Die Ausgabe-Ähnlichkeit je Token (D2) erscheint hier nach Analysieren oder Datei &gt; Ergebnisse öffnen</translation>
    </message>
    <message>
        <source>This run stored no per-token output similarity (D2).
Run the &quot;outputs&quot; analysis to see how alike the experts&apos; outputs are for each token.</source>
        <translation>Dieser Lauf hat keine Ausgabe-Ähnlichkeit je Token (D2) gespeichert.
Führen Sie die Analyse „outputs“ aus, um zu sehen, wie ähnlich die Ausgaben der Experten für jedes Token sind.</translation>
    </message>
    <message>
        <source>No layer or token to show: check the lists above</source>
        <translation>Keine Schicht und kein Token zu zeigen: Prüfen Sie die Listen oben</translation>
    </message>
    <message>
        <source>Expert output similarity per token</source>
        <translation>Ähnlichkeit der Expertenausgaben je Token</translation>
    </message>
    <message>
        <source>exp %1</source>
        <translation>exp %1</translation>
    </message>
    <message>
        <source>token %1</source>
        <translation>Token %1</translation>
    </message>
    <message>
        <source>#%1 “%2”</source>
        <translation>#%1 „%2“</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <source>Layer %1, %2
experts %3 and %4: cosine %5</source>
        <translation>Schicht %1, %2
Experten %3 und %4: Kosinus %5</translation>
    </message>
    <message>
        <source>chosen: %1</source>
        <translation>gewählt: %1</translation>
    </message>
    <message>
        <source>the diagonal: an expert against itself</source>
        <translation>die Diagonale: ein Experte gegen sich selbst</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>Schichten:</translation>
    </message>
    <message>
        <source>Tokens:</source>
        <translation>Tokens:</translation>
    </message>
    <message>
        <source>The per-token output similarity appears as its layers are done
(for a large run, from the results file when the run ends).</source>
        <translation>Die Ausgabe-Ähnlichkeit je Token erscheint, sobald ihre Schichten fertig sind
(bei einem großen Lauf aus der Ergebnisdatei, wenn der Lauf endet).</translation>
    </message>
    <message>
        <source>Layer %1 has no per-token output similarity.</source>
        <translation>Schicht %1 hat keine Ausgabeähnlichkeit je Token.</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::PcaScatterView</name>
    <message>
        <source>L&amp;evel:</source>
        <translation>E&amp;bene:</translation>
    </message>
    <message>
        <source>Matrix level (one point per expert)</source>
        <translation>Matrixebene (ein Punkt pro Experte)</translation>
    </message>
    <message>
        <source>Neuron level (one point per neuron)</source>
        <translation>Neuronenebene (ein Punkt pro Neuron)</translation>
    </message>
    <message>
        <source>&amp;Projection:</source>
        <translation>&amp;Projektion:</translation>
    </message>
    <message>
        <source>up (W_up)</source>
        <translation>up (W_up)</translation>
    </message>
    <message>
        <source>gate (W_gate)</source>
        <translation>gate (W_gate)</translation>
    </message>
    <message>
        <source>down (W_down)</source>
        <translation>down (W_down)</translation>
    </message>
    <message>
        <source>principal component 1</source>
        <translation>Hauptkomponente 1</translation>
    </message>
    <message>
        <source>principal component 2</source>
        <translation>Hauptkomponente 2</translation>
    </message>
    <message>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <source>The experts&apos; PCA appears here after Analyze or File &gt; Open Results</source>
        <translation>Die PCA der Experten erscheint hier nach „Analysieren“ oder Datei &gt; Ergebnisse öffnen</translation>
    </message>
    <message>
        <source>This run computed no PCA (S5) at this layer</source>
        <translation>Dieser Lauf hat in dieser Schicht keine PCA (S5) berechnet</translation>
    </message>
    <message>
        <source>Layer %1: every neuron of the %2 projection, PCA (neuron level)</source>
        <translation>Schicht %1: jedes Neuron der %2-Projektion, PCA (Neuronenebene)</translation>
    </message>
    <message>
        <source>every %1th of %2 neurons shown</source>
        <translation>jedes %1. von %2 Neuronen gezeigt</translation>
    </message>
    <message>
        <source>Layer %1: each expert&apos;s %2 matrix as one point, PCA (matrix level)</source>
        <translation>Schicht %1: die %2-Matrix jedes Experten als ein Punkt, PCA (Matrixebene)</translation>
    </message>
    <message>
        <source>%1
PC 1: %2
PC 2: %3</source>
        <translation>%1
HK 1: %2
HK 2: %3</translation>
    </message>
    <message>
        <source>%1, neuron %2</source>
        <translation>%1, Neuron %2</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::PendingLayers</name>
    <message>
        <source>Layer %1 is still being computed.
%2 of %3 layers done; each view fills in as its layer arrives.</source>
        <translation>Schicht %1 wird noch berechnet.
%2 von %3 Schichten fertig; jede Ansicht füllt sich, sobald ihre Schicht eintrifft.</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::PlotView</name>
    <message>
        <source>Reset View</source>
        <translation>Ansicht zurücksetzen</translation>
    </message>
    <message>
        <source>Export Figure…</source>
        <translation>Abbildung exportieren …</translation>
    </message>
    <message>
        <source>Export Data as CSV…</source>
        <translation>Daten als CSV exportieren …</translation>
    </message>
    <message>
        <source>What am I looking at?</source>
        <translation>Was sehe ich hier?</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::RankCountView</name>
    <message>
        <source>&amp;All layers</source>
        <translation>&amp;Alle Schichten</translation>
    </message>
    <message>
        <source>On: the counts summed over every MoE layer.
Off: the selected layer only.</source>
        <translation>An: die Zählungen über alle MoE-Schichten summiert.
Aus: nur die gewählte Schicht.</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>output-norm rank (1 = smallest)</source>
        <translation>Rang der Ausgabenorm (1 = kleinster)</translation>
    </message>
    <message>
        <source>gate-score rank (1 = smallest)</source>
        <translation>Rang des Gate-Scores (1 = kleinster)</translation>
    </message>
    <message>
        <source>Top-1 agreement at layer %1: %2 of tokens</source>
        <translation>Top-1-Übereinstimmung in Schicht %1: %2 der Tokens</translation>
    </message>
    <message>
        <source>Top-1 agreement over all layers: %1 of tokens</source>
        <translation>Top-1-Übereinstimmung über alle Schichten: %1 der Tokens</translation>
    </message>
    <message>
        <source>over all layers: %1</source>
        <translation>über alle Schichten: %1</translation>
    </message>
    <message>
        <source>Gate scores against output norms appear here after Analyze or File &gt; Open Results</source>
        <translation>Gate-Scores gegen Ausgabenormen erscheinen hier nach „Analysieren“ oder Datei &gt; Ergebnisse öffnen</translation>
    </message>
    <message>
        <source>This run has no rank counts over all layers</source>
        <translation>Dieser Lauf hat keine Rangzählungen über alle Schichten</translation>
    </message>
    <message>
        <source>This run computed no rank counts at this layer</source>
        <translation>Dieser Lauf hat in dieser Schicht keine Rangzählungen berechnet</translation>
    </message>
    <message>
        <source>All layers: gate-score rank against output-norm rank</source>
        <translation>Alle Schichten: Rang des Gate-Scores gegen Rang der Ausgabenorm</translation>
    </message>
    <message>
        <source>Layer %1: gate-score rank against output-norm rank</source>
        <translation>Schicht %1: Rang des Gate-Scores gegen Rang der Ausgabenorm</translation>
    </message>
    <message numerus="yes">
        <source>gate-score rank %1, output-norm rank %2
%n token(s)</source>
        <translation>
            <numerusform>Gate-Score-Rang %1, Ausgabenorm-Rang %2
%n Token</numerusform>
            <numerusform>Gate-Score-Rang %1, Ausgabenorm-Rang %2
%n Tokens</numerusform>
        </translation>
    </message>
    <message>
        <source>Dra&amp;w as:</source>
        <translation>&amp;Zeichnen als:</translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation>Heatmap</translation>
    </message>
    <message>
        <source>Grouped bars</source>
        <translation>Gruppierte Balken</translation>
    </message>
    <message>
        <source>Heatmap: one cell per pair of ranks.
Grouped bars: as the paper draws it, the bars of each output-norm rank side by side,
one colour per gate-score rank.</source>
        <translation>Heatmap: eine Zelle je Rangpaar.
Gruppierte Balken: wie im Paper, die Balken jedes Ausgabenorm-Rangs nebeneinander,
eine Farbe je Gate-Score-Rang.</translation>
    </message>
    <message>
        <source>All layers: tokens by output-norm rank, a bar per gate-score rank</source>
        <translation>Alle Schichten: Tokens nach Ausgabenorm-Rang, ein Balken je Gate-Score-Rang</translation>
    </message>
    <message>
        <source>Layer %1: tokens by output-norm rank, a bar per gate-score rank</source>
        <translation>Schicht %1: Tokens nach Ausgabenorm-Rang, ein Balken je Gate-Score-Rang</translation>
    </message>
    <message>
        <source>score rank %1</source>
        <translation>Score-Rang %1</translation>
    </message>
    <message>
        <source>gate-score rank</source>
        <translation>Gate-Score-Rang</translation>
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
    <message>
        <source>%1: no layer %2</source>
        <translation>%1: keine Schicht %2</translation>
    </message>
    <message>
        <source>%1
Token %2: %3
Expert E%4
Mixing weight: %5
Gate score: %6</source>
        <translation>%1
Token %2: %3
Experte E%4
Mischgewicht: %5
Gate-Score: %6</translation>
    </message>
    <message>
        <source>This run computed no routing at layer %1</source>
        <translation>Dieser Lauf hat in Schicht %1 kein Routing berechnet</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::RoutingOverviewView</name>
    <message>
        <source>load</source>
        <translation>Auslastung</translation>
    </message>
    <message>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Expert load by layer: no results yet</source>
        <translation>Expertenauslastung je Schicht: noch keine Ergebnisse</translation>
    </message>
    <message>
        <source>This run computed no expert load</source>
        <translation>Dieser Lauf hat keine Expertenauslastung berechnet</translation>
    </message>
    <message>
        <source>Expert load (%1 of %2 layers)</source>
        <translation>Expertenauslastung (%1 von %2 Schichten)</translation>
    </message>
    <message>
        <source>Expert load by layer</source>
        <translation>Expertenauslastung je Schicht</translation>
    </message>
    <message>
        <source>layer %1: not computed yet</source>
        <translation>Schicht %1: noch nicht berechnet</translation>
    </message>
    <message>
        <source>layer %1, expert %2: no load computed</source>
        <translation>Schicht %1, Experte %2: keine Auslastung berechnet</translation>
    </message>
    <message>
        <source>layer %1, expert %2: load %3 (balanced 1/E = %4, %5× balanced)</source>
        <translation>Schicht %1, Experte %2: Auslastung %3 (ausgewogen 1/E = %4, %5× ausgewogen)</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::RoutingStatisticsView</name>
    <message>
        <source>P(column chosen | row chosen)</source>
        <translation>P(Spalte gewählt | Zeile gewählt)</translation>
    </message>
    <message>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <source>load (share of routing slots)</source>
        <translation>Auslastung (Anteil der Routing-Plätze)</translation>
    </message>
    <message>
        <source>load</source>
        <translation>Auslastung</translation>
    </message>
    <message>
        <source>f (also chosen)</source>
        <translation>f (ebenfalls gewählt)</translation>
    </message>
    <message>
        <source>e (chosen)</source>
        <translation>e (gewählt)</translation>
    </message>
    <message>
        <source>balanced 1/E = %1</source>
        <translation>ausgewogen 1/E = %1</translation>
    </message>
    <message>
        <source>Routing statistics appear here after Analyze or File &gt; Open Results</source>
        <translation>Die Routing-Statistik erscheint hier nach „Analysieren“ oder Datei &gt; Ergebnisse öffnen</translation>
    </message>
    <message>
        <source>This run computed no routing statistics at this layer</source>
        <translation>Dieser Lauf hat in dieser Schicht keine Routing-Statistik berechnet</translation>
    </message>
    <message>
        <source>Layer %1: expert load and co-activation</source>
        <translation>Schicht %1: Auslastung und Koaktivierung der Experten</translation>
    </message>
    <message>
        <source>Load entropy %1 nats</source>
        <translation>Entropie der Auslastung %1 nats</translation>
    </message>
    <message>
        <source>Load entropy %1 nats (normalised %2)</source>
        <translation>Entropie der Auslastung %1 nats (normiert %2)</translation>
    </message>
    <message>
        <source>Normalised load entropy %1</source>
        <translation>Normierte Entropie der Auslastung %1</translation>
    </message>
    <message>
        <source>coefficient of variation %1</source>
        <translation>Variationskoeffizient %1</translation>
    </message>
    <message>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <source>E%1: load %2 (balanced %3)</source>
        <translation>E%1: Auslastung %2 (ausgewogen %3)</translation>
    </message>
    <message>
        <source>P(E%1 chosen | E%2 chosen) = %3</source>
        <translation>P(E%1 gewählt | E%2 gewählt) = %3</translation>
    </message>
    <message>
        <source>1/E</source>
        <translation>1/E</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::SaturationCurveView</name>
    <message>
        <source>Over &amp;models</source>
        <translation>Über &amp;Modelle</translation>
    </message>
    <message>
        <source>The models on the horizontal axis, in the order given (checkpoints of a run, say):
the mean over layers and the selected layer. The reference is 1 by definition.</source>
        <translation>Die Modelle auf der waagrechten Achse, in der angegebenen Reihenfolge (etwa die Checkpoints eines Laufs):
das Mittel über die Schichten und die gewählte Schicht. Die Referenz ist per Definition 1.</translation>
    </message>
    <message>
        <source>top-1 agreement</source>
        <translation>Top-1-Übereinstimmung</translation>
    </message>
    <message>
        <source>top-k overlap (router saturation)</source>
        <translation>Top-k-Überlappung (Router-Sättigung)</translation>
    </message>
    <message>
        <source>Jaccard</source>
        <translation>Jaccard</translation>
    </message>
    <message>
        <source>Kendall&apos;s tau of the scores</source>
        <translation>Kendalls Tau der Scores</translation>
    </message>
    <message>
        <source>Open a comparison (File &gt; Compare Models…) to see routing agreement by layer</source>
        <translation>Öffnen Sie einen Vergleich (Datei &gt; Modelle vergleichen …), um die Übereinstimmung des Routings je Schicht zu sehen</translation>
    </message>
    <message>
        <source>model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>mean over layers</source>
        <translation>Mittel über die Schichten</translation>
    </message>
    <message>
        <source>layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <source>Routing agreement with %1 over the models</source>
        <translation>Übereinstimmung des Routings mit %1 über die Modelle</translation>
    </message>
    <message>
        <source>MoE layer</source>
        <translation>MoE-Schicht</translation>
    </message>
    <message>
        <source>%1 vs %2</source>
        <translation>%1 gegen %2</translation>
    </message>
    <message>
        <source>Routing agreement of %1 with %2 by layer</source>
        <translation>Übereinstimmung des Routings von %1 mit %2 je Schicht</translation>
    </message>
    <message>
        <source>Routing agreement with %1 by layer</source>
        <translation>Übereinstimmung des Routings mit %1 je Schicht</translation>
    </message>
    <message>
        <source>%1, %2
%3: %4</source>
        <translation>%1, %2
%3: %4</translation>
    </message>
    <message>
        <source>Layer %1, %2
%3: %4</source>
        <translation>Schicht %1, %2
%3: %4</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::SimilarityHeatmapView</name>
    <message>
        <source>&amp;Measure:</source>
        <translation>&amp;Maß:</translation>
    </message>
    <message>
        <source>Which similarity of the experts to show</source>
        <translation>Welche Ähnlichkeit der Experten gezeigt wird</translation>
    </message>
    <message>
        <source>Same range for all layers</source>
        <translation>Gleicher Bereich für alle Schichten</translation>
    </message>
    <message>
        <source>On: one colour range over every layer, so layers compare by colour.
Off: each layer uses its own range, which shows its details best.</source>
        <translation>An: ein Farbbereich über alle Schichten, sodass sich die Schichten über die Farbe vergleichen lassen.
Aus: Jede Schicht nutzt ihren eigenen Bereich, der ihre Details am besten zeigt.</translation>
    </message>
    <message>
        <source>expert</source>
        <translation>Experte</translation>
    </message>
    <message>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <source>Expert similarity appears here after Analyze or File &gt; Open Results</source>
        <translation>Die Ähnlichkeit der Experten erscheint hier nach „Analysieren“ oder Datei &gt; Ergebnisse öffnen</translation>
    </message>
    <message>
        <source>This run computed no expert similarity</source>
        <translation>Dieser Lauf hat keine Ähnlichkeit der Experten berechnet</translation>
    </message>
    <message>
        <source>%1 was not computed at this layer</source>
        <translation>%1 wurde in dieser Schicht nicht berechnet</translation>
    </message>
    <message>
        <source>Layer %1: %2</source>
        <translation>Schicht %1: %2</translation>
    </message>
    <message>
        <source>not computed</source>
        <translation>nicht berechnet</translation>
    </message>
    <message>
        <source>%1 × %2
%3: %4</source>
        <translation>%1 × %2
%3: %4</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>0 to 1</source>
        <translation>0 bis 1</translation>
    </message>
    <message>
        <source>−1 to 1</source>
        <translation>−1 bis 1</translation>
    </message>
    <message>
        <source>Typed limits</source>
        <translation>Eigene Grenzen</translation>
    </message>
    <message>
        <source>Automatic: from the values off the diagonal (each layer&apos;s, or all layers&apos;).
Fixed: the same limits for every layer and model; values beyond them
take the end colour and a mark (▲ above, ▼ below).</source>
        <translation>Automatisch: aus den Werten außerhalb der Diagonale (je Schicht oder über alle Schichten).
Fest: dieselben Grenzen für jede Schicht und jedes Modell; Werte außerhalb
erhalten die Endfarbe und eine Markierung (▲ darüber, ▼ darunter).</translation>
    </message>
    <message>
        <source>Lower limit of the colour scale</source>
        <translation>Untere Grenze der Farbskala</translation>
    </message>
    <message>
        <source>Upper limit of the colour scale</source>
        <translation>Obere Grenze der Farbskala</translation>
    </message>
    <message>
        <source>▲ above %1</source>
        <translation>▲ über %1</translation>
    </message>
    <message>
        <source>▼ below %1</source>
        <translation>▼ unter %1</translation>
    </message>
    <message>
        <source>Beyond the colour range: %1</source>
        <translation>Außerhalb des Farbbereichs: %1</translation>
    </message>
    <message>
        <source>%1 (itself: grey, outside the colour scale)</source>
        <translation>%1 (mit sich selbst: grau, außerhalb der Farbskala)</translation>
    </message>
    <message>
        <source>%1 (above the colour range)</source>
        <translation>%1 (über dem Farbbereich)</translation>
    </message>
    <message>
        <source>%1 (below the colour range)</source>
        <translation>%1 (unter dem Farbbereich)</translation>
    </message>
    <message>
        <source>Colo&amp;ur range:</source>
        <translation>Farbbereich (&amp;U):</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::TableExport</name>
    <message>
        <source>This view has no data to export yet.</source>
        <translation>Diese Ansicht hat noch keine Daten zum Exportieren.</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV-Tabelle (*.csv)</translation>
    </message>
    <message>
        <source>LaTeX tabular (*.tex)</source>
        <translation>LaTeX-Tabelle (*.tex)</translation>
    </message>
    <message>
        <source>Export Data</source>
        <translation>Daten exportieren</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
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
        <source>#%1 (weight)</source>
        <translation>#%1 (Gew.)</translation>
    </message>
    <message>
        <source>E%1  %2</source>
        <translation>E%1  %2</translation>
    </message>
    <message>
        <source>Token %1: &lt;b&gt;%2&lt;/b&gt; (id %3)</source>
        <translation>Token %1: &lt;b&gt;%2&lt;/b&gt; (ID %3)</translation>
    </message>
    <message>
        <source>Top score&apos;s norm rank</source>
        <translation>Normrang des Bestbewerteten</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Each model&apos;s experts for this token: expert, router score, ‖output‖; tinted where a model chose other experts than the reference</source>
        <translation>Die Experten jedes Modells für dieses Token: Experte, Score des Routers, ‖Ausgabe‖; getönt, wo ein Modell andere Experten als die Referenz wählte</translation>
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
    <message>
        <source>Color: top-1 expert (grey: layer pending):</source>
        <translation>Farbe: Top-1-Experte (grau: Schicht ausstehend):</translation>
    </message>
    <message>
        <source>Color: top-1 expert (grey: layer pending)</source>
        <translation>Farbe: Top-1-Experte (grau: Schicht ausstehend)</translation>
    </message>
    <message>
        <source>red corner: %1 chose other experts than %2</source>
        <translation>rote Ecke: %1 wählte andere Experten als %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Generated by the model</source>
        <translation>Vom Modell generiert</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ViewTable</name>
    <message numerus="yes">
        <source>token %1 is out of range (the text has %n token(s))</source>
        <translation>
            <numerusform>Token %1 liegt außerhalb des Bereichs (der Text hat %n Token)</numerusform>
            <numerusform>Token %1 liegt außerhalb des Bereichs (der Text hat %n Tokens)</numerusform>
        </translation>
    </message>
    <message>
        <source>layer %1 has no routing</source>
        <translation>Schicht %1 hat kein Routing</translation>
    </message>
    <message>
        <source>layer %1 has no analyses</source>
        <translation>Schicht %1 hat keine Analysen</translation>
    </message>
    <message>
        <source>layer %1 has no %2</source>
        <translation>Schicht %1 hat kein %2</translation>
    </message>
    <message>
        <source>the run has no diversity curves</source>
        <translation>der Lauf hat keine Diversitätskurven</translation>
    </message>
    <message>
        <source>layer %1 has no routing statistics</source>
        <translation>Schicht %1 hat keine Routing-Statistik</translation>
    </message>
    <message>
        <source>the run has no rank counts over all layers</source>
        <translation>der Lauf hat keine Rangzählungen über alle Schichten</translation>
    </message>
    <message>
        <source>layer %1 has no rank counts</source>
        <translation>Schicht %1 hat keine Rangzählungen</translation>
    </message>
    <message>
        <source>layer %1 has no activations</source>
        <translation>Schicht %1 hat keine Aktivierungen</translation>
    </message>
    <message>
        <source>the run has no expert load (routing statistics)</source>
        <translation>der Lauf hat keine Expertenauslastung (Routing-Statistik)</translation>
    </message>
    <message>
        <source>&amp;Routing</source>
        <translation>&amp;Routing</translation>
    </message>
    <message>
        <source>Which experts each token chose at the selected layer</source>
        <translation>Welche Experten jedes Token in der gewählten Schicht gewählt hat</translation>
    </message>
    <message>
        <source>Expert &amp;Similarity</source>
        <translation>Experten-Ä&amp;hnlichkeit</translation>
    </message>
    <message>
        <source>&amp;Diversity by Layer</source>
        <translation>&amp;Diversität je Schicht</translation>
    </message>
    <message>
        <source>How alike the experts of each layer are, layer by layer</source>
        <translation>Wie ähnlich sich die Experten jeder Schicht sind, Schicht für Schicht</translation>
    </message>
    <message>
        <source>Routing S&amp;tatistics</source>
        <translation>Routing-S&amp;tatistik</translation>
    </message>
    <message>
        <source>How evenly the router spreads the tokens over the experts, and which experts are chosen together</source>
        <translation>Wie gleichmäßig der Router die Tokens auf die Experten verteilt und welche Experten gemeinsam gewählt werden</translation>
    </message>
    <message>
        <source>&amp;Norms vs Scores</source>
        <translation>&amp;Normen vs. Scores</translation>
    </message>
    <message>
        <source>Whether the router&apos;s highest-scored experts are those whose outputs have the largest norms</source>
        <translation>Ob die vom Router am höchsten bewerteten Experten diejenigen mit den größten Ausgabenormen sind</translation>
    </message>
    <message>
        <source>&amp;PCA of Experts</source>
        <translation>&amp;PCA der Experten</translation>
    </message>
    <message>
        <source>Each expert, or each of its neurons, projected to two dimensions</source>
        <translation>Jeder Experte oder jedes seiner Neuronen, auf zwei Dimensionen projiziert</translation>
    </message>
    <message>
        <source>Acti&amp;vations</source>
        <translation>Akti&amp;vierungen</translation>
    </message>
    <message>
        <source>The intermediate activations of every expert for the selected token</source>
        <translation>Die Zwischenaktivierungen jedes Experten für das gewählte Token</translation>
    </message>
    <message>
        <source>Gate Scores</source>
        <translation>Gate-Scores</translation>
    </message>
    <message>
        <source>The gate score and output norm of every expert for the selected token</source>
        <translation>Gate-Score und Ausgabenorm jedes Experten für das gewählte Token</translation>
    </message>
    <message>
        <source>Routing Overview</source>
        <translation>Routing-Übersicht</translation>
    </message>
    <message>
        <source>the run has no gate-embedding fit (gate and neuron-mean analyses)</source>
        <translation>der Lauf hat keinen Gate-Embedding-Zusammenhang (Analysen gate und neuron-mean)</translation>
    </message>
    <message>
        <source>Gate F&amp;it</source>
        <translation>Gate-F&amp;it</translation>
    </message>
    <message>
        <source>How closely the router&apos;s gate embedding follows the experts&apos; weights, layer by layer</source>
        <translation>Wie eng das Gate-Embedding des Routers den Gewichten der Experten folgt, Schicht für Schicht</translation>
    </message>
    <message>
        <source>the run has no per-token output similarity (the outputs analysis)</source>
        <translation>der Lauf hat keine Ausgabe-Ähnlichkeit je Token (die Analyse outputs)</translation>
    </message>
    <message>
        <source>To&amp;ken Outputs</source>
        <translation>To&amp;ken-Ausgaben</translation>
    </message>
    <message>
        <source>How alike the experts&apos; outputs are for single tokens, layer by layer</source>
        <translation>Wie ähnlich die Ausgaben der Experten für einzelne Tokens sind, Schicht für Schicht</translation>
    </message>
    <message>
        <source>the results are of one model, not a comparison (moescope-cli compare writes one)</source>
        <translation>die Ergebnisse sind die eines Modells, kein Vergleich (moescope-cli compare schreibt einen)</translation>
    </message>
    <message>
        <source>the comparison has no output cosines (C4)</source>
        <translation>der Vergleich hat keine Kosinusse der Ausgaben (C4)</translation>
    </message>
    <message>
        <source>the comparison has no output norm ratios (C4)</source>
        <translation>der Vergleich hat keine Verhältnisse der Ausgabenormen (C4)</translation>
    </message>
    <message>
        <source>the comparison has no tokens</source>
        <translation>der Vergleich hat keine Tokens</translation>
    </message>
    <message>
        <source>the comparison holds two models; over models needs three or more</source>
        <translation>der Vergleich enthält zwei Modelle; über Modelle braucht drei oder mehr</translation>
    </message>
    <message>
        <source>the comparison has no routing agreement (C1)</source>
        <translation>der Vergleich hat keine Übereinstimmung des Routings (C1)</translation>
    </message>
    <message>
        <source>the comparison has no expert correspondence (C2): a comparison of results files holds their routing only; compare the models themselves for it</source>
        <translation>der Vergleich hat keine Zuordnung der Experten (C2): ein Vergleich von Ergebnisdateien enthält nur deren Routing; vergleichen Sie dafür die Modelle selbst</translation>
    </message>
    <message>
        <source>layer %1 of the comparison has no %2</source>
        <translation>Schicht %1 des Vergleichs hat kein(e) %2</translation>
    </message>
    <message>
        <source>Compare: &amp;Agreement</source>
        <translation>Vergleich: Über&amp;einstimmung</translation>
    </message>
    <message>
        <source>Where the compared model routes differently from the reference: layers × tokens</source>
        <translation>Wo das verglichene Modell anders routet als die Referenz: Schichten × Tokens</translation>
    </message>
    <message>
        <source>Compare: Sat&amp;uration</source>
        <translation>Vergleich: Sätti&amp;gung</translation>
    </message>
    <message>
        <source>How far each model routes as the reference does, layer by layer</source>
        <translation>Wie weit jedes Modell so routet wie die Referenz, Schicht für Schicht</translation>
    </message>
    <message>
        <source>Compare: E&amp;xperts</source>
        <translation>Vergleich: E&amp;xperten</translation>
    </message>
    <message>
        <source>Each expert of the compared model against each of the reference, with the matching</source>
        <translation>Jeder Experte des verglichenen Modells gegen jeden der Referenz, mit der Zuordnung</translation>
    </message>
</context>
</TS>
