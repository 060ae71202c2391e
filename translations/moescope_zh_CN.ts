<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ModelSummary</name>
    <message>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <source>%1 M</source>
        <translation>%1 M</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>模型系列</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>%1 (%2 MoE)</source>
        <translation>%1（%2 个 MoE 层）</translation>
    </message>
    <message>
        <source>Experts</source>
        <translation>专家数</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>路由方式</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>隐藏维度</translation>
    </message>
    <message>
        <source>Expert intermediate</source>
        <translation>专家中间维度</translation>
    </message>
    <message>
        <source>Attention heads</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>%1 (%2 key/value)</source>
        <translation>%1（%2 个键/值头）</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Active per token</source>
        <translation>每个 token 激活</translation>
    </message>
    <message>
        <source>Stored as</source>
        <translation>存储格式</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
</context>
<context>
    <name>PlotExport</name>
    <message>
        <source>Unknown image format &quot;%1&quot;: use .png, .pdf or .svg.</source>
        <translation>未知的图像格式“%1”：请使用 .png、.pdf 或 .svg。</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG image (*.svg)</source>
        <translation>PNG 图像 (*.png);;PDF 文档 (*.pdf);;SVG 图像 (*.svg)</translation>
    </message>
</context>
<context>
    <name>SamplePrompts</name>
    <message>
        <source>Short prompt (paper)</source>
        <translation>短提示（论文）</translation>
    </message>
    <message>
        <source>Passage (about 64 tokens)</source>
        <translation>段落（约 64 个 token）</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Explore the routing of Mixture-of-Experts language models.</source>
        <translation>探索混合专家（MoE）语言模型的路由。</translation>
    </message>
    <message>
        <source>Model folder to open (default: the built-in demo model).</source>
        <translation>要打开的模型文件夹（默认：内置演示模型）。</translation>
    </message>
</context>
<context>
    <name>moescope::gui::AnalysisWorker</name>
    <message>
        <source>Generating the demo model</source>
        <translation>正在生成演示模型</translation>
    </message>
    <message>
        <source>Could not create the demo model</source>
        <translation>无法创建演示模型</translation>
    </message>
    <message>
        <source>An unknown error occurred.</source>
        <translation>发生未知错误。</translation>
    </message>
    <message>
        <source>Opening %1</source>
        <translation>正在打开 %1</translation>
    </message>
    <message>
        <source>Built-in demo model</source>
        <translation>内置演示模型</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>No model is open. Open a model folder first.</source>
        <translation>尚未打开模型。请先打开一个模型文件夹。</translation>
    </message>
    <message>
        <source>%1, %2, %3 s</source>
        <translation>%1，%2，%3 秒</translation>
    </message>
    <message>
        <source>Analysis failed</source>
        <translation>分析失败</translation>
    </message>
    <message>
        <source>Cannot analyze</source>
        <translation>无法分析</translation>
    </message>
    <message>
        <source>Analyzing the prompt</source>
        <translation>正在分析提示</translation>
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
        <translation>打开一个模型文件夹（Ctrl+O）或内置演示模型。</translation>
    </message>
    <message>
        <source>&amp;Analyze</source>
        <translation>分析(&amp;A)</translation>
    </message>
    <message>
        <source>Run the model on the prompt and show its routing</source>
        <translation>在提示上运行模型并显示其路由</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the running job</source>
        <translation>停止正在运行的任务</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Model Folder…</source>
        <translation>打开模型文件夹(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Open &amp;Demo Model</source>
        <translation>打开演示模型(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Analysis</source>
        <translation>分析(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About MoEScope</source>
        <translation>关于 MoEScope(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>GPU: %1</source>
        <translation>GPU：%1</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>仅 CPU</translation>
    </message>
    <message>
        <source>Open Model Folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <source>Cancelling</source>
        <translation>正在取消</translation>
    </message>
    <message>
        <source>%1 — MoEScope</source>
        <translation>%1 — MoEScope</translation>
    </message>
    <message>
        <source>Opened %1: it has no MoE layers, so there is no routing to show.</source>
        <translation>已打开 %1：该模型没有 MoE 层，因此没有可显示的路由。</translation>
    </message>
    <message>
        <source>Opened %1. Type a prompt and press Analyze.</source>
        <translation>已打开 %1。请输入提示并点击“分析”。</translation>
    </message>
    <message numerus="yes">
        <source>%n MoE layer(s)</source>
        <translation>
            <numerusform>%n 个 MoE 层</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>About MoEScope</source>
        <translation>关于 MoEScope</translation>
    </message>
    <message>
        <source>&lt;h3&gt;MoEScope %1&lt;/h3&gt;&lt;p&gt;An explorer of the insides of Mixture-of-Experts language models: which experts each token chooses, layer by layer.&lt;/p&gt;&lt;p&gt;After Lo et al., &lt;i&gt;A Closer Look into Mixture-of-Experts in Large Language Models&lt;/i&gt; (2024).&lt;/p&gt;</source>
        <translation>&lt;h3&gt;MoEScope %1&lt;/h3&gt;&lt;p&gt;一个探索混合专家（MoE）语言模型内部的工具：逐层查看每个 token 选择了哪些专家。&lt;/p&gt;&lt;p&gt;参考 Lo 等人，&lt;i&gt;A Closer Look into Mixture-of-Experts in Large Language Models&lt;/i&gt;（2024）。&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>Analyzed %n token(s)</source>
        <translation>
            <numerusform>已分析 %n 个 token</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>moescope::gui::PromptPanel</name>
    <message>
        <source>&amp;Sample:</source>
        <translation>示例(&amp;S)：</translation>
    </message>
    <message>
        <source>Replace the prompt with a sample text</source>
        <translation>用示例文本替换提示</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>设备(&amp;D)：</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA GPU</translation>
    </message>
    <message>
        <source>Looking for a GPU…</source>
        <translation>正在查找 GPU…</translation>
    </message>
    <message>
        <source>&amp;Precision:</source>
        <translation>精度(&amp;P)：</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Compute precision. Default: float32 on the CPU, bfloat16 on a GPU.</source>
        <translation>计算精度。默认：CPU 上为 float32，GPU 上为 bfloat16。</translation>
    </message>
    <message>
        <source>Type a prompt, then press Analyze (Ctrl+Return).</source>
        <translation>输入提示，然后点击“分析”（Ctrl+Return）。</translation>
    </message>
    <message>
        <source>No CUDA GPU found (or libtorch was built without CUDA)</source>
        <translation>未找到 CUDA GPU（或 libtorch 未启用 CUDA 构建）</translation>
    </message>
    <message>
        <source>GPU: %1</source>
        <translation>GPU：%1</translation>
    </message>
    <message>
        <source>No CUDA GPU found: computing on the CPU</source>
        <translation>未找到 CUDA GPU：在 CPU 上计算</translation>
    </message>
</context>
<context>
    <name>moescope::gui::RecentFolders</name>
    <message>
        <source>&amp;Clear Menu</source>
        <translation>清空菜单(&amp;C)</translation>
    </message>
</context>
<context>
    <name>moescope::gui::StatusProgress</name>
    <message>
        <source>layer %1 of %2</source>
        <translation>第 %1 层，共 %2 层</translation>
    </message>
    <message>
        <source>forward pass</source>
        <translation>前向计算</translation>
    </message>
    <message>
        <source>tokenizing</source>
        <translation>分词</translation>
    </message>
    <message>
        <source>reading the model</source>
        <translation>读取模型</translation>
    </message>
    <message>
        <source>writing the demo model</source>
        <translation>写入演示模型</translation>
    </message>
    <message>
        <source>about %1 s left</source>
        <translation>约剩 %1 秒</translation>
    </message>
    <message>
        <source>about %1 min left</source>
        <translation>约剩 %1 分钟</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::GateScoreChart</name>
    <message>
        <source>gate score</source>
        <translation>门控分数</translation>
    </message>
    <message>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <source>Gate scores, layer %1, token %2 %3</source>
        <translation>门控分数，第 %1 层，token %2 %3</translation>
    </message>
    <message>
        <source>Gate scores: select a token</source>
        <translation>门控分数：请选择一个 token</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::LayerNavigator</name>
    <message>
        <source>&amp;Layer:</source>
        <translation>层(&amp;L)：</translation>
    </message>
    <message>
        <source>Decoder layer shown in every view</source>
        <translation>所有视图中显示的解码器层</translation>
    </message>
    <message>
        <source>no MoE layers yet</source>
        <translation>尚无 MoE 层</translation>
    </message>
    <message numerus="yes">
        <source>(%n MoE layer(s), decoder %1–%2)</source>
        <translation>
            <numerusform>（%n 个 MoE 层，解码器 %1–%2）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ModelSummaryPanel</name>
    <message>
        <source>No model open</source>
        <translation>未打开模型</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::PlotView</name>
    <message>
        <source>Reset View</source>
        <translation>重置视图</translation>
    </message>
    <message>
        <source>Export Image…</source>
        <translation>导出图像…</translation>
    </message>
    <message>
        <source>Export Plot</source>
        <translation>导出图表</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::RoutingHeatmapView</name>
    <message>
        <source>mixing weight</source>
        <translation>混合权重</translation>
    </message>
    <message>
        <source>token</source>
        <translation>token</translation>
    </message>
    <message>
        <source>expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>Token %1: %2
Expert E%3
Mixing weight: %4
Gate score: %5</source>
        <translation>Token %1：%2
专家 E%3
混合权重：%4
门控分数：%5</translation>
    </message>
    <message>
        <source>Routing appears here after Analyze</source>
        <translation>点击“分析”后在此显示路由</translation>
    </message>
    <message>
        <source>Layer %1: mixing weight of each expert per token</source>
        <translation>第 %1 层：每个 token 对各专家的混合权重</translation>
    </message>
    <message>
        <source>Waiting for layer results…</source>
        <translation>正在等待该层结果…</translation>
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
        <translation>选择一个 token，查看它在每一层选择的专家。</translation>
    </message>
    <message>
        <source>Token %1: &lt;b&gt;%2&lt;/b&gt;</source>
        <translation>Token %1：&lt;b&gt;%2&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Expert #%1 (weight)</source>
        <translation>第 %1 专家（权重）</translation>
    </message>
    <message>
        <source>E%1  %2</source>
        <translation>E%1  %2</translation>
    </message>
    <message>
        <source>Token %1: &lt;b&gt;%2&lt;/b&gt; (id %3)</source>
        <translation>Token %1：&lt;b&gt;%2&lt;/b&gt;（ID %3）</translation>
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
        <translation>Token %1：%2</translation>
    </message>
    <message>
        <source>Layer %1:</source>
        <translation>第 %1 层：</translation>
    </message>
    <message>
        <source>E%1 (%2)</source>
        <translation>E%1（%2）</translation>
    </message>
    <message>
        <source>Tokens appear here once a prompt is analyzed.</source>
        <translation>分析提示后，token 会显示在这里。</translation>
    </message>
    <message>
        <source>Color: top-1 expert at layer %1:</source>
        <translation>颜色：第 %1 层的首选专家：</translation>
    </message>
    <message>
        <source>Color: top-1 expert at layer %1 (hover a token to see its experts)</source>
        <translation>颜色：第 %1 层的首选专家（将鼠标悬停在 token 上可查看其专家）</translation>
    </message>
    <message>
        <source>Color: top-1 expert:</source>
        <translation>颜色：首选专家：</translation>
    </message>
    <message>
        <source>Color: top-1 expert (hover a token to see its experts)</source>
        <translation>颜色：首选专家（将鼠标悬停在 token 上可查看其专家）</translation>
    </message>
    <message>
        <source>Token %1: %2 (id %3)</source>
        <translation>Token %1：%2（ID %3）</translation>
    </message>
</context>
</TS>
