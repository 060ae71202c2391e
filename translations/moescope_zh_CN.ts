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
    <message>
        <source>%1 (%2 MoE, %3 dense)</source>
        <translation>%1（%2 个 MoE，%3 个稠密）</translation>
    </message>
    <message>
        <source>Expert groups</source>
        <translation>专家分组</translation>
    </message>
    <message>
        <source>%1 groups, best %2 kept; weights x %3</source>
        <translation>%1 组，保留最佳 %2 组；权重 x %3</translation>
    </message>
    <message>
        <source>Shared experts</source>
        <translation>共享专家</translation>
    </message>
    <message>
        <source>%1 (analysed dequantised)</source>
        <translation>%1（反量化后分析）</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
</context>
<context>
    <name>PlotExport</name>
    <message>
        <source>Unknown image format &quot;%1&quot;: use .png, .pdf or .svg.</source>
        <translation>未知的图像格式“%1”：请使用 .png、.pdf 或 .svg。</translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG image (*.svg)</source>
        <translation>PNG 图像 (*.png);;PDF 文档 (*.pdf);;SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>Made with MoEScope</source>
        <translation>由 MoEScope 生成</translation>
    </message>
    <message>
        <source>A PNG of %1 × %2 pixels is too large; lower the resolution or the size, or export a PDF or SVG.</source>
        <translation>%1 × %2 像素的 PNG 过大；请降低分辨率或尺寸，或导出为 PDF 或 SVG。</translation>
    </message>
    <message>
        <source>Could not draw the figure as %1.</source>
        <translation>无法将图绘制为 %1。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>SamplePrompts</name>
    <message>
        <source>Short prompt (paper)</source>
        <translation>短提示（论文）</translation>
    </message>
    <message>
        <source>Passage (52 words)</source>
        <translation>段落（52 个单词）</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Explore the routing of Mixture-of-Experts language models.</source>
        <translation>探索混合专家（MoE）语言模型的路由。</translation>
    </message>
    <message>
        <source>Model folder, GGUF file or results file (.h5) to open (default: the built-in demo model).</source>
        <translation>要打开的模型文件夹、GGUF 文件或结果文件（.h5）（默认：内置演示模型）。</translation>
    </message>
</context>
<context>
    <name>moescope::gui::AnalysisChoice</name>
    <message>
        <source>Routing (always computed)</source>
        <translation>路由（始终计算）</translation>
    </message>
    <message>
        <source>Weight similarity</source>
        <translation>权重相似度</translation>
    </message>
    <message>
        <source>Neuron-mean similarity</source>
        <translation>神经元均值相似度</translation>
    </message>
    <message>
        <source>Re-ordered neuron similarity (slow)</source>
        <translation>重排神经元相似度（慢）</translation>
    </message>
    <message>
        <source>Gate embedding similarity</source>
        <translation>门控嵌入相似度</translation>
    </message>
    <message>
        <source>PCA of expert weights</source>
        <translation>专家权重的 PCA</translation>
    </message>
    <message>
        <source>Expert output similarity</source>
        <translation>专家输出相似度</translation>
    </message>
    <message>
        <source>Output norms vs gate scores</source>
        <translation>输出范数与门控分数</translation>
    </message>
    <message>
        <source>Neuron activations (large)</source>
        <translation>神经元激活（数据量大）</translation>
    </message>
    <message>
        <source>Diversity across layers</source>
        <translation>跨层多样性</translation>
    </message>
    <message>
        <source>Routing statistics</source>
        <translation>路由统计</translation>
    </message>
    <message>
        <source>The paper&apos;s %1</source>
        <translation>论文中的 %1</translation>
    </message>
    <message>
        <source>&amp;Defaults</source>
        <translation>默认(&amp;D)</translation>
    </message>
    <message>
        <source>What the model suggests: everything except the slow re-ordered neurons, plus the neuron activations when they are small enough to keep</source>
        <translation>模型的建议：除较慢的神经元重排外全部计算，神经元激活在数据量足够小时一并保留</translation>
    </message>
    <message>
        <source>A&amp;ll</source>
        <translation>全部(&amp;L)</translation>
    </message>
    <message>
        <source>A&amp;nalyses: defaults</source>
        <translation>分析(&amp;N)：默认</translation>
    </message>
    <message>
        <source>A&amp;nalyses: %1 of %2</source>
        <translation>分析(&amp;N)：%1 / %2</translation>
    </message>
    <message>
        <source>The analyses to run (routing is always computed): %1</source>
        <translation>要运行的分析（路由始终计算）：%1</translation>
    </message>
</context>
<context>
    <name>moescope::gui::AnalysisWorker</name>
    <message>
        <source>under 1 s</source>
        <translation>不到 1 秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
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
        <translation>针对 %1 个 MoE 层和 %2 个词元在本机 %3 上的估计，依据模型的形状和在此测得的速率：</translation>
    </message>
    <message>
        <source>Read from disk: %1 (overlapped with computing). Peak memory: about %2.</source>
        <translation>从磁盘读取：%1（与计算重叠进行）。峰值内存：约 %2。</translation>
    </message>
    <message>
        <source>≈ %1</source>
        <translation>≈ %1</translation>
    </message>
    <message>
        <source>%1 (estimated %2)</source>
        <translation>%1（估计 %2）</translation>
    </message>
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
    <message>
        <source>%1, %2 s</source>
        <translation>%1，%2 秒</translation>
    </message>
    <message>
        <source>Could not open the comparison results</source>
        <translation>无法打开对比结果</translation>
    </message>
    <message>
        <source>Could not open the results file</source>
        <translation>无法打开结果文件</translation>
    </message>
    <message>
        <source>none (type token ids): %1</source>
        <translation>无（请输入 token id）：%1</translation>
    </message>
    <message numerus="yes">
        <source>Comparing %n model(s)</source>
        <translation>
            <numerusform>正在比较 %n 个模型</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot compare the models</source>
        <translation>无法比较这些模型</translation>
    </message>
    <message>
        <source>Type a prompt first: the models are run on it.</source>
        <translation>请先输入提示词：模型将在其上运行。</translation>
    </message>
    <message>
        <source>Comparison failed</source>
        <translation>比较失败</translation>
    </message>
    <message>
        <source>Cannot generate</source>
        <translation>无法生成</translation>
    </message>
    <message>
        <source>Generating</source>
        <translation>正在生成</translation>
    </message>
    <message>
        <source>Generation failed</source>
        <translation>生成失败</translation>
    </message>
    <message>
        <source>Generating: the weights do not fit in memory, so every token reads all layers from disk (about %1 a token)</source>
        <translation>正在生成：权重无法全部放入内存，因此每个词元都要从磁盘读取所有层（每个词元约 %1）</translation>
    </message>
    <message>
        <source>%1 is a dense model: it has no routing to show.</source>
        <translation>%1 是稠密模型：没有可显示的路由。</translation>
    </message>
</context>
<context>
    <name>moescope::gui::CompareModelsDialog</name>
    <message>
        <source>Compare Models</source>
        <translation>比较模型</translation>
    </message>
    <message>
        <source>Models (folders or GGUF files) are run on the prompt&apos;s text and compared with the reference: routing, expert correspondence, router drift and output change. Results files of single models are compared on the tokens they were run on, by their routing alone. The order is kept: give training checkpoints in order to see router saturation over them.</source>
        <translation>模型（文件夹或 GGUF 文件）在提示词文本上运行并与参考模型比较：路由、专家对应、路由器漂移和输出变化。单个模型的结果文件在其运行时的词元上比较，仅比较路由。顺序会保留：按顺序给出训练检查点，即可看到路由饱和度随检查点的变化。</translation>
    </message>
    <message>
        <source>Add Model &amp;Folder…</source>
        <translation>添加模型文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Add &amp;GGUF File…</source>
        <translation>添加 GGUF 文件(&amp;G)…</translation>
    </message>
    <message>
        <source>Add &amp;Results Files…</source>
        <translation>添加结果文件(&amp;R)…</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <source>Move &amp;Up</source>
        <translation>上移(&amp;U)</translation>
    </message>
    <message>
        <source>Move &amp;Down</source>
        <translation>下移(&amp;D)</translation>
    </message>
    <message>
        <source>The model the others are compared with; for a run&apos;s checkpoints, the final one</source>
        <translation>其他模型与之比较的模型；对于一次训练的检查点，取最后一个</translation>
    </message>
    <message>
        <source>R&amp;eference:</source>
        <translation>参考(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Save comparison as:</source>
        <translation>比较结果保存为(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>比较(&amp;C)</translation>
    </message>
    <message>
        <source>Add Model Folder</source>
        <translation>添加模型文件夹</translation>
    </message>
    <message>
        <source>Add GGUF File</source>
        <translation>添加 GGUF 文件</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Add Results Files</source>
        <translation>添加结果文件</translation>
    </message>
    <message>
        <source>MoEScope results (*.h5 *.hdf5);;All files (*)</source>
        <translation>MoEScope 结果 (*.h5 *.hdf5);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save Comparison As</source>
        <translation>比较结果另存为</translation>
    </message>
    <message>
        <source>MoEScope results (*.h5)</source>
        <translation>MoEScope 结果 (*.h5)</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <source>Add two models or more (or two results files or more).</source>
        <translation>请添加两个或更多模型（或两个或更多结果文件）。</translation>
    </message>
    <message>
        <source>Compare either models or results files of single models, not both.</source>
        <translation>请比较模型或单个模型的结果文件，不能两者混合。</translation>
    </message>
    <message>
        <source>Choose where to save the comparison.</source>
        <translation>请选择比较结果的保存位置。</translation>
    </message>
    <message>
        <source>The comparison would overwrite %1: save it elsewhere.</source>
        <translation>比较结果会覆盖 %1：请保存到别处。</translation>
    </message>
</context>
<context>
    <name>moescope::gui::ComparisonCheck</name>
    <message>
        <source>&quot;%1&quot; (id %2)</source>
        <translation>“%1”（ID %2）</translation>
    </message>
    <message>
        <source>&quot;%1&quot;</source>
        <translation>“%1”</translation>
    </message>
    <message>
        <source>Nothing is shown to compare with: analyze a prompt or open a results file first.</source>
        <translation>当前没有可供对比的内容：请先分析一个提示或打开一个结果文件。</translation>
    </message>
    <message>
        <source>The comparison file has no tokens.</source>
        <translation>对比文件中没有 token。</translation>
    </message>
    <message>
        <source>The comparison has %1 experts per layer, the results shown have %2.</source>
        <translation>对比结果每层有 %1 个专家，而当前显示的结果有 %2 个。</translation>
    </message>
    <message>
        <source>The comparison was run on %1 tokens, the results shown on %2: both must be the same text.</source>
        <translation>对比结果基于 %1 个 token，当前显示的结果基于 %2 个：两者必须是同一段文本。</translation>
    </message>
    <message>
        <source>Token %1 differs: %2 in the comparison, %3 in the results shown. Both must be the same text, tokenized alike.</source>
        <translation>第 %1 个 token 不同：对比结果中为 %2，当前结果中为 %3。两者必须是同一段文本，并以相同方式分词。</translation>
    </message>
</context>
<context>
    <name>moescope::gui::InterfaceLanguage</name>
    <message>
        <source>System Language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The new language applies from the next start of MoEScope.</source>
        <translation>新语言将在下次启动 MoEScope 时生效。</translation>
    </message>
</context>
<context>
    <name>moescope::gui::LayerFilterEdit</name>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>none of these layers is an MoE layer (MoE layers: %1)</source>
        <translation>这些层都不是 MoE 层（MoE 层：%1）</translation>
    </message>
    <message>
        <source>Not a layer list: %1</source>
        <translation>不是有效的层列表：%1</translation>
    </message>
    <message>
        <source>Decoder layers to analyse, e.g. 0-3,31; empty: all of them</source>
        <translation>要分析的解码器层，例如 0-3,31；留空：全部</translation>
    </message>
    <message numerus="yes">
        <source>Decoder layers to analyse, e.g. 0-3,31; empty: all %n MoE layer(s)</source>
        <translation>
            <numerusform>要分析的解码器层，例如 0-3,31；留空：全部 %n 个 MoE 层</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Picks %n MoE layer(s): %1</source>
        <translation>
            <numerusform>选中 %n 个 MoE 层：%1</numerusform>
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
    <message>
        <source>Open R&amp;esults…</source>
        <translation>打开结果(&amp;E)…</translation>
    </message>
    <message>
        <source>Show a results file (.h5) of an earlier analysis; no model needed</source>
        <translation>显示先前分析的结果文件（.h5）；无需模型</translation>
    </message>
    <message>
        <source>Show a second results file on the same text under the routing heatmap, e.g. instruct vs base</source>
        <translation>在路由热图下方显示同一文本的第二个结果文件，例如指令微调模型与基础模型对比</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>Open Results</source>
        <translation>打开结果</translation>
    </message>
    <message>
        <source>MoEScope results (*.h5 *.hdf5);;All files (*)</source>
        <translation>MoEScope 结果 (*.h5 *.hdf5);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n 个 token</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Comparison Results</source>
        <translation>打开对比结果</translation>
    </message>
    <message>
        <source>Cannot compare with %1</source>
        <translation>无法与 %1 对比</translation>
    </message>
    <message>
        <source>Cannot compare these results</source>
        <translation>无法对比这些结果</translation>
    </message>
    <message>
        <source>Comparing with %1</source>
        <translation>正在与 %1 对比</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Layers: %1</source>
        <translation>层：%1</translation>
    </message>
    <message>
        <source>Open GGUF File</source>
        <translation>打开 GGUF 文件</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open &amp;GGUF File…</source>
        <translation>打开 &amp;GGUF 文件…</translation>
    </message>
    <message>
        <source>Open a llama.cpp model file (.gguf, any part of a split one); its weights are dequantised as each layer is analysed</source>
        <translation>打开 llama.cpp 模型文件（.gguf，可为分卷模型的任一部分）；分析每一层时对其权重反量化</translation>
    </message>
    <message>
        <source>Co&amp;mpare Models…</source>
        <translation>比较模型(&amp;M)…</translation>
    </message>
    <message>
        <source>Run two or more models on the prompt (or take results files of the same text) and show how they differ from a reference: routing, experts, outputs</source>
        <translation>在提示词上运行两个或更多模型（或使用同一文本的结果文件），并显示它们与参考模型的差异：路由、专家、输出</translation>
    </message>
    <message>
        <source>Second Results &amp;Under Routing…</source>
        <translation>在路由下方显示第二份结果(&amp;U)…</translation>
    </message>
    <message>
        <source>C&amp;lose Second Results</source>
        <translation>关闭第二份结果(&amp;L)</translation>
    </message>
    <message numerus="yes">
        <source>Generated %n token(s)</source>
        <translation>
            <numerusform>已生成 %n 个词元</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Generation stopped after %n new token(s) (%1); the analyses of the continuation were not run.</source>
        <translation>
            <numerusform>生成在 %n 个新词元后停止（%1）；续写部分的分析未运行。</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>Let the model continue the prompt, showing each new token&apos;s experts as it is written, then analyse prompt and continuation</source>
        <translation>让模型续写提示，在每个新词元写出时显示其专家，然后分析提示和续写</translation>
    </message>
</context>
<context>
    <name>moescope::gui::NavigationActions</name>
    <message>
        <source>&amp;Next Layer</source>
        <translation>下一层(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous Layer</source>
        <translation>上一层(&amp;P)</translation>
    </message>
    <message>
        <source>Next &amp;Token</source>
        <translation>下一个 token(&amp;T)</translation>
    </message>
    <message>
        <source>Previous T&amp;oken</source>
        <translation>上一个 token(&amp;O)</translation>
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
    <message>
        <source>La&amp;yers:</source>
        <translation>层(&amp;Y)：</translation>
    </message>
    <message>
        <source>Your own text</source>
        <translation>自定义文本</translation>
    </message>
    <message>
        <source>Layers: %1</source>
        <translation>层：%1</translation>
    </message>
    <message>
        <source>This model has no tokenizer: type token ids, e.g. 1, 415, 2936, then press Analyze (Ctrl+Return).</source>
        <translation>此模型没有分词器：请输入 token id，例如 1, 415, 2936，然后点击“分析”（Ctrl+Return）。</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <source>Generate: the most new tokens the model writes (it stops earlier at its end-of-sequence token)</source>
        <translation>生成：模型最多写出的新词元数（遇到序列结束词元时会提前停止）</translation>
    </message>
    <message>
        <source>T = </source>
        <translation>T = </translation>
    </message>
    <message>
        <source>greedy</source>
        <translation>贪心</translation>
    </message>
    <message>
        <source>Generate: the sampling temperature. Greedy (0) always takes the most likely token; above 0 the tokens are drawn, more freely the higher it is, with a new seed each time (the seed is in the results&apos; summary).</source>
        <translation>生成：采样温度。贪心（0）总是取最可能的词元；大于 0 时按概率抽取词元，温度越高越自由，每次使用新的随机种子（种子记录在结果摘要中）。</translation>
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
    <name>moescope::gui::ViewActions</name>
    <message>
        <source>&amp;Export Figure…</source>
        <translation>导出图(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the current view as PNG, PDF or SVG at a chosen size</source>
        <translation>将当前视图按所选尺寸保存为 PNG、PDF 或 SVG</translation>
    </message>
    <message>
        <source>Export A&amp;ll Figures…</source>
        <translation>导出全部图(&amp;L)…</translation>
    </message>
    <message>
        <source>Write the paper&apos;s figure set for chosen layers into a folder</source>
        <translation>将论文的整套图按所选层写入一个文件夹</translation>
    </message>
    <message>
        <source>Export &amp;Data as CSV…</source>
        <translation>将数据导出为 CSV(&amp;D)…</translation>
    </message>
    <message>
        <source>Save the numbers the current view draws as a CSV table</source>
        <translation>将当前视图绘制的数值保存为 CSV 表格</translation>
    </message>
    <message>
        <source>&amp;What am I looking at?</source>
        <translation>我在看什么？(&amp;W)</translation>
    </message>
    <message>
        <source>What the current view plots, how to read it and what the paper found</source>
        <translation>当前视图绘制的内容、如何解读，以及论文的发现</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>There is no view to export.</source>
        <translation>没有可导出的视图。</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>The current view has no data to export. Click the view whose numbers you want, then choose Export Data as CSV again.</source>
        <translation>当前视图没有可导出的数据。请先点击需要其数值的视图，然后再次选择“将数据导出为 CSV”。</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>没有可导出的内容</translation>
    </message>
    <message>
        <source>Analyze a prompt or open a results file first.</source>
        <translation>请先分析一个提示或打开一个结果文件。</translation>
    </message>
    <message>
        <source>Writing figures…</source>
        <translation>正在写入图…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export All Figures</source>
        <translation>导出全部图</translation>
    </message>
    <message>
        <source>Writing %1 (%2 of %3)…</source>
        <translation>正在写入 %1（第 %2 个，共 %3 个）…</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n figure file(s) to %1</source>
        <translation>
            <numerusform>已将 %n 个图文件写入 %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n figure(s) skipped: the run lacks their data</source>
        <translation>
            <numerusform>跳过了 %n 个图：本次运行缺少它们的数据</numerusform>
        </translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation>导出已取消。</translation>
    </message>
    <message>
        <source>Click a view first, then press F1 to see what it shows.</source>
        <translation>请先点击一个视图，再按 F1 查看它显示的内容。</translation>
    </message>
</context>
<context>
    <name>moescope::gui::ViewArea</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Token Inspector</source>
        <translation>Token 检查器</translation>
    </message>
</context>
<context>
    <name>moescope::view_data::ResultsLoading</name>
    <message>
        <source>Results file</source>
        <translation>结果文件</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>模型系列</translation>
    </message>
    <message>
        <source>Decoder layers</source>
        <translation>解码器层数</translation>
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
        <source>Run on</source>
        <translation>运行于</translation>
    </message>
    <message>
        <source>Analyses</source>
        <translation>分析</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Written by</source>
        <translation>写入程序</translation>
    </message>
    <message>
        <source>Partial</source>
        <translation>部分</translation>
    </message>
    <message>
        <source>a shard: layers %1</source>
        <translation>分片：第 %1 层</translation>
    </message>
    <message>
        <source>Partial results: this file is a shard of a larger run. It holds layers %1 of the model&apos;s MoE layers %2, and no summary over layers.</source>
        <translation>部分结果：此文件是一次更大运行的分片。它包含模型 MoE 层 %2 中的第 %1 层，没有跨层汇总。</translation>
    </message>
    <message>
        <source>Of the corpus&apos;s %1 texts it holds texts %2 only, so the aggregates over texts (mean output similarity, rank counts, load, co-activation, vocabulary) are not shown.</source>
        <translation>语料的 %1 篇文本中它只包含第 %2 篇，因此不显示跨文本的汇总（平均输出相似度、秩计数、负载、共激活、词表）。</translation>
    </message>
    <message>
        <source>The per-token and weight results are in the shard holding text 0.</source>
        <translation>逐词元结果和权重分析位于包含文本 0 的分片中。</translation>
    </message>
    <message>
        <source>Join the shards with &quot;moescope-cli merge&quot; for the whole run.</source>
        <translation>用 &quot;moescope-cli merge&quot; 合并各分片以得到完整运行。</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>model %1 of %2 shown (the reference); the Compare tabs show the others against it</source>
        <translation>显示第 %1 个模型（共 %2 个，参考模型）；“比较”标签页显示其他模型与它的对比</translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>from token %1: %2</source>
        <translation>从词元 %1 起：%2</translation>
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
        <translation>神经元</translation>
    </message>
    <message>
        <source>expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>Expert activations (D4) appear here after Analyze or File &gt; Open Results</source>
        <translation>点击“分析”或“文件 &gt; 打开结果”后，专家激活值（D4）会显示在这里</translation>
    </message>
    <message>
        <source>This run stored no activations (D4) at this layer.
The explorer computes them for small models; moescope-cli analyze --analyses all stores them for any model.</source>
        <translation>本次运行未在该层存储激活值（D4）。
浏览器会为小模型计算它们；moescope-cli analyze --analyses all 可为任意模型存储它们。</translation>
    </message>
    <message>
        <source>Select a token to see its activations</source>
        <translation>选择一个 token 查看其激活值</translation>
    </message>
    <message>
        <source>token %1</source>
        <translation>token %1</translation>
    </message>
    <message>
        <source>token %1 “%2”</source>
        <translation>token %1 “%2”</translation>
    </message>
    <message>
        <source>Layer %1, %2: intermediate activations of every expert</source>
        <translation>第 %1 层，%2：每个专家的中间激活值</translation>
    </message>
    <message>
        <source>the %1 strongest of %2 neurons, in neuron order</source>
        <translation>%2 个神经元中最强的 %1 个，按神经元顺序</translation>
    </message>
    <message>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <source>%1 (chosen)</source>
        <translation>%1（已选）</translation>
    </message>
    <message>
        <source>%1, neuron %2
act(W_gate x) = %3</source>
        <translation>%1，神经元 %2
act(W_gate x) = %3</translation>
    </message>
    <message>
        <source>chosen for this token</source>
        <translation>被该 token 选中</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::AgreementMapView</name>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Top-k overlap |A ∩ B| / k</source>
        <translation>Top-k 重合 |A ∩ B| / k</translation>
    </message>
    <message>
        <source>Output cosine</source>
        <translation>输出余弦</translation>
    </message>
    <message>
        <source>Output norm ratio</source>
        <translation>输出范数比</translation>
    </message>
    <message>
        <source>Open a comparison (File &gt; Compare Models…) to see where models route differently</source>
        <translation>打开一个比较（文件 &gt; 比较模型…），查看模型在哪里路由不同</translation>
    </message>
    <message>
        <source>The comparison has no %1 for %2</source>
        <translation>该比较没有 %2 的%1</translation>
    </message>
    <message>
        <source>%1: %2 against %3, layers × tokens</source>
        <translation>%1：%2 对比 %3，层 × 词元</translation>
    </message>
    <message>
        <source>layer %1, token %2 &quot;%3&quot;: no value</source>
        <translation>第 %1 层，词元 %2 “%3”：无值</translation>
    </message>
    <message>
        <source>layer %1, token %2 &quot;%3&quot;: %4 %5</source>
        <translation>第 %1 层，词元 %2 “%3”：%4 %5</translation>
    </message>
    <message>
        <source>%1 chose %2; %3 chose %4</source>
        <translation>%1 选择了 %2；%3 选择了 %4</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ColourRange</name>
    <message>
        <source>colour range &apos;%1&apos; is not &apos;auto&apos; or two numbers &apos;LOWER,UPPER&apos; (e.g. 0,1 or -1,1)</source>
        <translation>颜色范围“%1”既不是“auto”,也不是两个数“下限,上限”(例如 0,1 或 -1,1)</translation>
    </message>
    <message>
        <source>colour range &apos;%1&apos;: the lower limit must be below the upper</source>
        <translation>颜色范围“%1”:下限必须小于上限</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ComparedModelBox</name>
    <message>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>The model set against the reference in the comparison views</source>
        <translation>比较视图中与参考模型对比的模型</translation>
    </message>
    <message>
        <source>%1 vs %2</source>
        <translation>%1 对比 %2</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ComparisonControls</name>
    <message>
        <source>Me&amp;asure:</source>
        <translation>度量(&amp;A)：</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::CrossSimilarityView</name>
    <message>
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>Weights, matrix level (%1)</source>
        <translation>权重，矩阵级（%1）</translation>
    </message>
    <message>
        <source>Mean neurons (%1)</source>
        <translation>平均神经元（%1）</translation>
    </message>
    <message>
        <source>Router rows</source>
        <translation>路由器行</translation>
    </message>
    <message>
        <source>expert of %1</source>
        <translation>%1 的专家</translation>
    </message>
    <message>
        <source>Open a comparison (File &gt; Compare Models…) to match the experts of two models</source>
        <translation>打开一个比较（文件 &gt; 比较模型…），以匹配两个模型的专家</translation>
    </message>
    <message>
        <source>Layer %1: no expert correspondence (a comparison of results files holds their routing only; compare the models themselves for it)</source>
        <translation>第 %1 层：没有专家对应（结果文件的比较只包含其路由；如需专家对应，请比较模型本身）</translation>
    </message>
    <message>
        <source>Layer %1: the comparison has no %2</source>
        <translation>第 %1 层：该比较没有%2</translation>
    </message>
    <message>
        <source>no matching</source>
        <translation>无匹配</translation>
    </message>
    <message>
        <source>every expert matched to itself</source>
        <translation>每个专家都与自身匹配</translation>
    </message>
    <message>
        <source>experts matched to another: %1</source>
        <translation>与其他专家匹配的专家数：%1</translation>
    </message>
    <message>
        <source>Layer %1: %2, %3 against %4; %5</source>
        <translation>第 %1 层：%2，%3 对比 %4；%5</translation>
    </message>
    <message>
        <source>%1&apos;s expert %2 against %3&apos;s expert %4: cosine %5</source>
        <translation>%1 的专家 %2 对比 %3 的专家 %4：余弦 %5</translation>
    </message>
    <message>
        <source>expert %1 is matched to the reference&apos;s expert %2</source>
        <translation>专家 %1 与参考模型的专家 %2 匹配</translation>
    </message>
    <message>
        <source>matched similarity %1</source>
        <translation>匹配相似度 %1</translation>
    </message>
    <message>
        <source>router rows&apos; cosine %1</source>
        <translation>路由器行余弦 %1</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::DataTable</name>
    <message>
        <source>This view has no data to export yet.</source>
        <translation>该视图尚无可导出的数据。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::DiversityCurvesView</name>
    <message>
        <source>MoE layer</source>
        <translation>MoE 层</translation>
    </message>
    <message>
        <source>mean similarity between experts</source>
        <translation>专家之间的平均相似度</translation>
    </message>
    <message>
        <source>Expert diversity by layer appears here after Analyze or File &gt; Open Results</source>
        <translation>点击“分析”或“文件 &gt; 打开结果”后，各层专家多样性会显示在这里</translation>
    </message>
    <message>
        <source>Diversity of the experts by layer (lower similarity = more diverse)</source>
        <translation>各层专家多样性（相似度越低 = 越多样）</translation>
    </message>
    <message>
        <source>Layer %1
%2: %3</source>
        <translation>第 %1 层
%2：%3</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ExplanationButton</name>
    <message>
        <source>What am I looking at?</source>
        <translation>我在看什么？</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::Explanations</name>
    <message>
        <source>Averaged over all pairs of different experts, these similarities give the diversity curves. Lo et al. (2024) found that experts grow more diverse with depth, except in the last layer(s), whose experts are more alike again.</source>
        <translation>对所有不同专家对取平均，这些相似度就构成了多样性曲线。Lo 等人（2024）发现，专家随层数加深而愈发多样，但最后一层（或几层）例外，其专家又变得更相似。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found that the gate-embedding similarity follows the similarity of the experts&apos; gate-projection neurons (neuron-mean, gate) closely — a high R² — and the up and down projections much less: neurons act like fine-grained experts.</source>
        <translation>Lo 等人（2024）发现，门控嵌入的相似度与专家门控投影神经元的相似度（神经元均值，gate）高度吻合——R² 很高——而与 up 和 down 投影的吻合度低得多：神经元就像细粒度的专家。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found that the router tends to choose the experts whose outputs have the largest norms: the top-scored expert is the largest-norm expert far more often than chance (1 in E).</source>
        <translation>Lo 等人（2024）发现，路由器倾向于选择输出范数最大的专家：得分最高的专家同时也是范数最大的专家，其频率远高于随机（1/E）。</translation>
    </message>
    <message>
        <source>Row and column are experts of the selected layer (&quot;F&quot;: the dense reference model&apos;s feed-forward block, when the run had one). The diagonal compares an expert with itself. Brighter = more alike; a blue-white-red map is used when values go negative. Hover a cell for its value, click it to select the pair. &quot;Same range for all layers&quot; makes colours comparable across layers.</source>
        <translation>行和列都是所选层的专家（“F”：若本次运行带有稠密参考模型，则为其前馈块）。对角线是专家与自身的比较。颜色越亮 = 越相似；数值出现负数时使用蓝-白-红色标。将鼠标悬停在单元格上可查看数值，点击可选中该专家对。“所有层使用相同范围”可使各层颜色可比。</translation>
    </message>
    <message>
        <source>What is plotted.</source>
        <translation>绘制的内容。</translation>
    </message>
    <message>
        <source>How to read it.</source>
        <translation>如何解读。</translation>
    </message>
    <message>
        <source>What the paper found.</source>
        <translation>论文的发现。</translation>
    </message>
    <message>
        <source>The prompt&apos;s tokens as the model&apos;s tokenizer cut them, each chip coloured by the expert the router chose first (top-1) for it at the selected layer. The legend names the colours.</source>
        <translation>按模型分词器切分得到的提示 token，每个标签按路由器在所选层为其首选（top-1）的专家着色。图例说明各颜色对应的专家。</translation>
    </message>
    <message>
        <source>Click a chip, or use Left/Right (Alt+Left/Right anywhere), to select a token: every other view follows. Runs of one colour are tokens sent to the same expert; &quot;▁&quot; marks a leading space.</source>
        <translation>点击一个标签，或使用左/右方向键（在任意位置使用 Alt+左/右），即可选择 token：其他所有视图会随之更新。连续同色的标签表示发送给同一专家的 token；“▁”表示前导空格。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) read the routing of prompts such as &quot;As an open source alternative to&quot; token by token; every other analysis of a text starts from this routing record.</source>
        <translation>Lo 等人（2024）逐个 token 地解读了诸如“As an open source alternative to”这类提示的路由；对文本的其他所有分析都以这份路由记录为起点。</translation>
    </message>
    <message>
        <source>The MoE layer every view shows, by its decoder layer number (models with dense first layers skip some numbers).</source>
        <translation>所有视图显示的 MoE 层，以其解码器层号表示（前几层为稠密层的模型会跳过部分层号）。</translation>
    </message>
    <message>
        <source>Drag the slider or type a layer; Page Up and Page Down (or Ctrl+Up and Ctrl+Down) step through the layers from anywhere in the window.</source>
        <translation>拖动滑块或输入层号；在窗口任意位置按 Page Up 和 Page Down（或 Ctrl+上 和 Ctrl+下）可逐层切换。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found that expert behaviour changes with depth: experts grow more diverse in deeper layers, and the last layer is an outlier.</source>
        <translation>Lo 等人（2024）发现，专家的行为随深度变化：越深的层专家越多样，而最后一层是一个例外。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found that routing and expert diversity change with depth; this overview shows at a glance where the load concentrates.</source>
        <translation>Lo 等人（2024）发现，路由和专家多样性随深度而变化；该概览可让人一眼看出负载集中在哪里。</translation>
    </message>
    <message>
        <source>For the selected token: at every layer, the experts it chose, best first, with the mixing weights the model multiplies their outputs by. Below, for the selected layer, the router&apos;s gate score of every expert beside the norm of its output.</source>
        <translation>针对所选 token：在每一层中它选择的专家（按优先级排序），以及模型用于乘以其输出的混合权重。下方显示所选层中路由器给每个专家的门控分数及其输出范数。</translation>
    </message>
    <message>
        <source>Click a row to go to that layer, an expert cell to select that expert. Chosen experts are coloured, the others grey; the line under the chart says whether the top-scored expert is also the largest-norm one.</source>
        <translation>点击某行可跳转到该层，点击专家单元格可选中该专家。被选中的专家为彩色，其余为灰色；图表下方的文字说明得分最高的专家是否也是范数最大的专家。</translation>
    </message>
    <message>
        <source>For one token at one layer: the router&apos;s gate score of every expert (solid bars, left axis) and, when the run computed all experts&apos; outputs, the L2 norm of each expert&apos;s output (hatched bars, right axis).</source>
        <translation>某一层中的某个 token：路由器给每个专家的门控分数（实心柱，左轴），以及在本次运行计算了所有专家输出时，每个专家输出的 L2 范数（斜线柱，右轴）。</translation>
    </message>
    <message>
        <source>Chosen experts are in their colour, the others grey. Compare the two bars of an expert: if the tallest score bar stands beside the tallest norm bar, the router picked the expert that contributes most. Hover a bar for both ranks.</source>
        <translation>被选中的专家显示为其颜色，其余为灰色。比较同一专家的两根柱：若最高的分数柱旁边正是最高的范数柱，说明路由器选中了贡献最大的专家。将鼠标悬停在柱上可查看两个排名。</translation>
    </message>
    <message>
        <source>Experts (rows) against the prompt&apos;s tokens (columns) at the selected layer: the mixing weight the model gave each expert&apos;s output for each token, 0 where the expert was not chosen (the paper&apos;s D1).</source>
        <translation>所选层中专家（行）对提示 token（列）：模型为每个 token 赋予各专家输出的混合权重，未被选中的专家为 0（论文中的 D1）。</translation>
    </message>
    <message>
        <source>Each column has top-k bright cells, summing to 1 for Mixtral&apos;s renormalised weights. Rows that light up often are busy experts. Hover a cell for the weight and gate score; click it to select the token and the expert.</source>
        <translation>每列有 top-k 个亮色单元格，对于 Mixtral 重新归一化的权重，其和为 1。经常亮起的行是繁忙的专家。将鼠标悬停在单元格上可查看权重和门控分数；点击可选中该 token 和专家。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) used this view to compare the experts that a base model and its instruction-tuned version choose for the same text.</source>
        <translation>Lo 等人（2024）用此视图比较了基础模型与其指令微调版本在同一文本上选择的专家。</translation>
    </message>
    <message>
        <source>The cosine similarity of two experts&apos; whole %1-projection weight matrices, flattened (the paper&apos;s S1, matrix level).</source>
        <translation>两个专家完整 %1 投影权重矩阵展平后的余弦相似度（论文中的 S1，矩阵级）。</translation>
    </message>
    <message>
        <source>Each expert reduced to its mean neuron (the mean of the rows of its %1-projection), then the cosine similarity of those means (S2, neuron level).</source>
        <translation>先将每个专家约化为其平均神经元（其 %1 投影各行的均值），再计算这些均值之间的余弦相似度（S2，神经元级）。</translation>
    </message>
    <message>
        <source>The cosine similarity of two experts&apos; %1-projection matrices after the neurons of one are re-ordered to best match the other&apos;s (an exact linear assignment; S3).</source>
        <translation>将一个专家的神经元重新排序以最佳匹配另一个专家（精确线性分配；S3）后，两个专家 %1 投影矩阵的余弦相似度。</translation>
    </message>
    <message>
        <source>Neurons need not be in the same order in two experts; re-ordering shows how much of their dissimilarity is only a permutation. The paper ran it on a few layers, as it is expensive.</source>
        <translation>两个专家中的神经元顺序不必相同；重新排序可以揭示它们的差异有多少只是排列不同。由于计算代价高，论文只在少数几层上运行了它。</translation>
    </message>
    <message>
        <source>Kendall&apos;s tau between the neuron order that best aligns two experts&apos; %1-projections and the identity order (S3).</source>
        <translation>使两个专家 %1 投影最佳对齐的神经元顺序与恒等顺序之间的 Kendall tau（S3）。</translation>
    </message>
    <message>
        <source>1: the neurons are already aligned, as when experts were copied from one dense layer; near 0: the best alignment is unrelated to the stored order. Hover a cell for its value.</source>
        <translation>1：神经元已经对齐，例如专家是从同一个稠密层复制而来；接近 0：最佳对齐与存储顺序无关。将鼠标悬停在单元格上可查看数值。</translation>
    </message>
    <message>
        <source>Where experts started from copies of one feed-forward block, their neurons keep their order and tau stays high.</source>
        <translation>如果专家是由同一个前馈块复制初始化的，它们的神经元会保持原有顺序，tau 也会保持较高。</translation>
    </message>
    <message>
        <source>The cosine similarity of the router&apos;s rows: row e of the router matrix is the &quot;gate embedding&quot; of expert e (S4).</source>
        <translation>路由器各行之间的余弦相似度：路由矩阵的第 e 行即专家 e 的“门控嵌入”（S4）。</translation>
    </message>
    <message>
        <source>Every expert run on the same tokens (chosen or not); for each token the cosine of two experts&apos; outputs, turned into an angular similarity 1 − arccos(cos)/π and averaged over all tokens of all texts (D2).</source>
        <translation>在相同的 token 上运行每个专家（无论是否被选中）；对每个 token 计算两个专家输出的余弦，转换为角度相似度 1 − arccos(cos)/π，并对所有文本的所有 token 取平均（D2）。</translation>
    </message>
    <message>
        <source>Each cell compares two experts of the selected layer by the chosen measure: the similarity of their weights, of their neurons, of their gate embeddings or of their outputs on the same tokens.</source>
        <translation>每个单元格按所选度量比较所选层的两个专家：它们的权重、神经元、门控嵌入，或在相同 token 上输出的相似度。</translation>
    </message>
    <message>
        <source>For every measure, the mean similarity over all pairs of different experts of each MoE layer (D5): one line per measure over the layers.</source>
        <translation>对每种度量，计算每个 MoE 层中所有不同专家对的平均相似度（D5）：每种度量一条跨层曲线。</translation>
    </message>
    <message>
        <source>Lower means more diverse experts. The dashed line marks the selected layer; click a point to go to its layer, hover it for the value.</source>
        <translation>数值越低表示专家越多样。虚线标出所选层；点击某个点可跳转到该层，悬停可查看数值。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found that the curves fall with depth — experts grow more diverse — with an upturn in the last layer(s), an outlier where experts are more alike.</source>
        <translation>Lo 等人（2024）发现，曲线随深度下降——专家愈发多样——但在最后一层（或几层）回升，成为专家更相似的例外。</translation>
    </message>
    <message>
        <source>Left: the share of the routing slots (tokens × top-k) each expert received at the selected layer, with the balanced level 1/E dashed, and the load&apos;s entropy and coefficient of variation. Right: the co-activation matrix, P(f chosen | e chosen).</source>
        <translation>左：所选层中每个专家获得的路由槽位（token × top-k）份额，虚线为均衡水平 1/E，并给出负载的熵与变异系数。右：共激活矩阵 P(f 被选中 | e 被选中)。</translation>
    </message>
    <message>
        <source>Bars near the dashed line mean a balanced router; the normalised entropy is 1 when balanced and falls towards 0 as a few experts take everything; the coefficient of variation is 0 when balanced. Bright co-activation cells are experts that tend to work together. Click a bar to select its expert.</source>
        <translation>柱子接近虚线表示路由器较为均衡；归一化熵在均衡时为 1，若少数专家包揽一切则趋近 0；变异系数在均衡时为 0。共激活矩阵中的亮色单元格表示倾向于协同工作的专家。点击柱子可选中对应专家。</translation>
    </message>
    <message>
        <source>Beyond the paper: load balance and co-activation follow the routing analyses of OLMoE and common practice in training MoE models.</source>
        <translation>超出论文范围：负载均衡与共激活分析参考了 OLMoE 的路由分析以及训练 MoE 模型的常见做法。</translation>
    </message>
    <message>
        <source>Each token ranks the experts twice: by the router&apos;s gate score and by the norm of the expert&apos;s output (rank 1 = smallest, E = largest). The cell in row r, column c counts the tokens for which the expert with score rank r had norm rank c (D3).</source>
        <translation>每个 token 对专家排名两次：按路由器的门控分数，以及按专家输出的范数（排名 1 = 最小，E = 最大）。第 r 行第 c 列的单元格统计分数排名为 r 的专家其范数排名为 c 的 token 数（D3）。</translation>
    </message>
    <message>
        <source>If the router chose the experts that contribute most, the counts would sit on the diagonal and the bottom-right cell would hold every token. The top-1 agreement is the share of tokens whose top-scored expert also has the largest output norm. &quot;All layers&quot; sums the counts over every layer.</source>
        <translation>如果路由器选择的是贡献最大的专家，计数会落在对角线上，右下角单元格将包含所有 token。Top-1 一致率是得分最高的专家同时拥有最大输出范数的 token 所占比例。“所有层”会对所有层的计数求和。</translation>
    </message>
    <message>
        <source>Every neuron of every expert (rows of the gate or up projection, columns of the down projection) as one point, standardised per feature and projected to its first principal components (S5, neuron level), coloured by expert.</source>
        <translation>每个专家的每个神经元（gate 或 up 投影的行、down 投影的列）作为一个点，按特征标准化后投影到前几个主成分（S5，神经元级），并按专家着色。</translation>
    </message>
    <message>
        <source>Separate clouds mean experts with distinct neurons; overlapping clouds mean experts made of similar neurons. Hover a point for its expert and neuron.</source>
        <translation>分离的点云表示专家拥有各不相同的神经元；重叠的点云表示专家由相似的神经元构成。将鼠标悬停在点上可查看其专家和神经元。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) projected the neurons of Mixtral&apos;s experts together with those of the dense Mistral 7B (&quot;F&quot;) to see how the experts relate to a dense layer.</source>
        <translation>Lo 等人（2024）将 Mixtral 专家的神经元与稠密模型 Mistral 7B（“F”）的神经元一起投影，以观察专家与稠密层之间的关系。</translation>
    </message>
    <message>
        <source>Each expert&apos;s whole weight matrix as one point, standardised per feature and projected to its first two principal components (S5, matrix level); &quot;F&quot; is the dense reference.</source>
        <translation>每个专家的完整权重矩阵作为一个点，按特征标准化后投影到前两个主成分（S5，矩阵级）；“F”为稠密参考。</translation>
    </message>
    <message>
        <source>Experts close together have similar weights; an expert far from the others is distinct. Axes are the principal components: only distances matter, not the direction.</source>
        <translation>彼此靠近的专家权重相似；远离其他专家的专家则与众不同。坐标轴为主成分：只有距离有意义，方向没有意义。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) used these projections next to the similarity matrices: they show the same relations between experts in one picture.</source>
        <translation>Lo 等人（2024）将这些投影与相似度矩阵配合使用：它们在一张图中展示了专家之间同样的关系。</translation>
    </message>
    <message>
        <source>For the selected token at the selected layer: the intermediate activation act(W_gate x) of every neuron (columns) of every expert (rows), with the chosen experts marked (D4).</source>
        <translation>所选 token 在所选层中：每个专家（行）的每个神经元（列）的中间激活值 act(W_gate x)，并标出被选中的专家（D4）。</translation>
    </message>
    <message>
        <source>Bright cells are neurons that fire strongly for this token. Compare the chosen experts&apos; rows with the rest: a few strong neurons carry most of an expert&apos;s output.</source>
        <translation>亮色单元格表示对该 token 强烈激活的神经元。将被选中专家的行与其余行比较：少数强激活神经元承载了专家的大部分输出。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) looked at these intermediate states to study neurons as fine-grained experts: the activation pattern shows which neurons of which expert a token uses.</source>
        <translation>Lo 等人（2024）通过这些中间状态把神经元当作细粒度专家来研究：激活模式显示了一个 token 使用了哪个专家的哪些神经元。</translation>
    </message>
    <message>
        <source>Every MoE layer (row) against every routed expert (column): the expert&apos;s load at that layer, the share of the routing slots (tokens × top-k) sent to it, as Routing Statistics shows it per layer. Hatched rows have no load, or not yet.</source>
        <translation>每个 MoE 层（行）对每个被路由的专家（列）：该专家在该层的负载，即分配给它的路由槽位（token × top-k）份额，与路由统计中逐层显示的一致。带斜线的行没有负载，或尚未算出。</translation>
    </message>
    <message>
        <source>Bright cells are busy experts; a balanced router gives every cell 1/E. The selected layer and expert are outlined in red. Click a cell to go to its layer and select its expert.</source>
        <translation>亮色单元格表示繁忙的专家；均衡的路由器会让每个单元格都为 1/E。所选的层和专家以红框标出。点击单元格可跳到其所在层并选中其专家。</translation>
    </message>
    <message>
        <source>For each projection (up, gate, down) and each MoE layer, R² of the least-squares line through the pairs of different experts: the similarity of their router rows (gate embedding) against the similarity of their mean neurons (S4). Over the plot, R² averaged over the layers, the paper&apos;s table.</source>
        <translation>对每个投影(up、gate、down)和每个 MoE 层,不同专家对的最小二乘直线的 R²:其路由器行(门控嵌入)的相似度对其平均神经元相似度(S4)。图上方是各层平均的 R²,即论文中的表格。</translation>
    </message>
    <message>
        <source>R² near 1: experts the router treats alike have alike weights; near 0: no linear link. Click a point to go to its layer; Export Data writes the table as CSV or a LaTeX tabular.</source>
        <translation>R² 接近 1:路由器对待相似的专家权重也相似;接近 0:没有线性关系。点击一个点转到其层;导出数据可将表格写为 CSV 或 LaTeX 表格。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found the link strongest for the gate projection (mean R² 0.33 for Mixtral, 0.40 for DeepSeek, 0.15 for Grok) and close to 0 for up and down.</source>
        <translation>Lo 等人(2024)发现 gate 投影的关系最强(平均 R²:Mixtral 0.33,DeepSeek 0.40,Grok 0.15),up 和 down 接近 0。</translation>
    </message>
    <message>
        <source>For each chosen layer (a row) and token (a column), the cosine similarity between the outputs of every pair of experts run on that token (D2), with &quot;F&quot;, the dense reference model&apos;s feed-forward block, when the run had one. Each panel is titled with the experts the router chose for the token (&quot;exp 1,6&quot;); all panels share one colour scale.</source>
        <translation>对每个选定的层（一行）和词元（一列），在该词元上运行的每对专家输出之间的余弦相似度（D2）；运行含稠密参考模型时还包括其前馈块“F”。每个面板的标题是路由器为该词元选择的专家（“exp 1,6”）；所有面板共用一个颜色刻度。</translation>
    </message>
    <message>
        <source>Bright panels: the experts answer the token alike; dark or blue cells: experts whose outputs point apart. Compare rows to see how the same token&apos;s outputs diverge with depth. Type the layers and tokens to show, or leave them empty to follow the selection (the first, middle and last layers; the selected token and its neighbours). Hover a cell for its value; click a panel to select its layer and token.</source>
        <translation>明亮的面板：各专家对该词元的回答相似；深色或蓝色单元格：输出方向相异的专家。比较各行可看出同一词元的输出如何随深度分化。输入要显示的层和词元，或留空以跟随当前选择（第一层、中间层和最后一层；选中的词元及其相邻词元）。悬停单元格查看数值；单击面板选择其层和词元。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) drew these panels for Mixtral&apos;s layers 6, 27 and 31: the experts&apos; outputs are dissimilar in most layers but strikingly alike in the last one, where F also stands apart from them.</source>
        <translation>Lo 等人（2024）为 Mixtral 的第 6、27 和 31 层绘制了这些面板：专家输出在大多数层中并不相似，但在最后一层却惊人地相似，而 F 在那里也与它们区分开来。</translation>
    </message>
    <message>
        <source>Two models run on the same tokens: every MoE layer (row) against every token (column). The measure chosen above the map: the share of the token&apos;s top-k experts that both models chose (|A ∩ B| / k, 1 = the same experts), or the cosine between the two models&apos; MoE block outputs, or the ratio of their norms.</source>
        <translation>两个模型在相同词元上运行：每个 MoE 层（行）对每个词元（列）。图上方选择的度量：该词元的 top-k 专家中两个模型都选择的比例（|A ∩ B| / k，1 = 相同专家），或两个模型 MoE 块输出之间的余弦，或其范数之比。</translation>
    </message>
    <message>
        <source>Dark cells are where the compared model routes, or computes, differently from the reference. A column dark from some layer down is a token whose path changed there and stayed changed; a row dark everywhere is a layer whose router changed. Click a cell to select its layer and token in every view.</source>
        <translation>深色单元格表示被比较模型的路由或计算与参考模型不同之处。从某层往下都是深色的列，是路径在该层改变并保持改变的词元；整行深色的是路由器发生改变的层。点击单元格可在所有视图中选中其层和词元。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) compared Mixtral base with Mixtral instruct and found the experts barely changed by instruction tuning; this map shows where routing did change, token by token.</source>
        <translation>Lo 等人（2024）比较了 Mixtral base 与 Mixtral instruct，发现指令微调几乎没有改变专家；此图逐词元显示路由确实改变的地方。</translation>
    </message>
    <message>
        <source>Per MoE layer, how far each compared model routes as the reference does, over the text&apos;s tokens: top-1 agreement (the same first expert), top-k overlap (mean |A ∩ B| / k), Jaccard (|A ∩ B| / |A ∪ B|) or Kendall&apos;s tau of the two routers&apos; scores. With three models or more, Over models puts the models on the horizontal axis instead: the mean over layers, and the selected layer.</source>
        <translation>每个 MoE 层上，各被比较模型在文本词元上的路由与参考模型的一致程度：top-1 一致率（相同的第一专家）、top-k 重合（|A ∩ B| / k 的均值）、Jaccard（|A ∩ B| / |A ∪ B|）或两个路由器得分的 Kendall tau。有三个或更多模型时，“按模型”改为把模型放在横轴上：各层的均值以及所选层。</translation>
    </message>
    <message>
        <source>1 is identical routing. A curve that falls with depth shows differences that grow layer by layer. Click a point to go to its layer.</source>
        <translation>1 表示路由完全相同。随深度下降的曲线表示差异逐层增大。点击一个点可转到其层。</translation>
    </message>
    <message>
        <source>Muennighoff et al. (2024, OLMoE) call the top-k overlap with the final checkpoint router saturation: compare a run&apos;s checkpoints with the last one as reference to see how early each layer&apos;s routing settles.</source>
        <translation>Muennighoff 等人（2024，OLMoE）把与最终检查点的 top-k 重合称为路由饱和度：以最后一个检查点为参考比较一次训练的各检查点，即可看到每层路由多早稳定下来。</translation>
    </message>
    <message>
        <source>At the selected layer, every expert of the compared model (rows) against every expert of the reference (columns): the cosine of their weight matrices (matrix level), of their mean neurons, or of their rows of the router. Outlined cells are the one-to-one matching of the experts that maximises the mean cosine over the gate, up and down projections.</source>
        <translation>在所选层，被比较模型的每个专家（行）对参考模型的每个专家（列）：其权重矩阵的余弦（矩阵级）、其平均神经元的余弦，或其路由器行的余弦。带边框的单元格是使 gate、up、down 投影平均余弦最大的专家一一匹配。</translation>
    </message>
    <message>
        <source>Lo et al. (2024) found Mixtral&apos;s experts nearly unchanged by instruction tuning (matrix-level cosine near 1 between base and instruct); the diagonal here shows it for any pair of models.</source>
        <translation>Lo 等人（2024）发现指令微调几乎没有改变 Mixtral 的专家（base 与 instruct 之间矩阵级余弦接近 1）；这里的对角线对任意两个模型展示这一点。</translation>
    </message>
    <message>
        <source>Rows where the models chose different experts are tinted. Click a row to go to its layer.</source>
        <translation>模型选择了不同专家的行会着色。点击一行可转到其层。</translation>
    </message>
    <message>
        <source>The paper&apos;s comparison of base and instruct models, one token at a time.</source>
        <translation>论文中 base 与 instruct 模型的比较，逐个词元。</translation>
    </message>
    <message>
        <source>A fine-tuned or quantised copy keeps its experts: the matching runs down the diagonal, bright. An outline off the diagonal (in orange) is an expert that now resembles another expert of the reference most. Click a cell to select the reference&apos;s expert of its column in every view.</source>
        <translation>微调或量化的副本保留其专家：匹配沿对角线排列且明亮。对角线之外的边框（橙色）表示某专家现在与参考模型的另一个专家最相似。点击单元格可在所有视图中选中其列对应的参考模型专家。</translation>
    </message>
    <message>
        <source>For the selected token, at every layer: the experts each model chose, best first, with the router&apos;s score of each and, where the run computed them, the norms of their outputs.</source>
        <translation>对所选词元，在每一层：每个模型选择的专家（最优在前），以及路由器给每个专家的得分，和（运行计算了的话）其输出的范数。</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ExportAllDialog</name>
    <message>
        <source>Export All Figures</source>
        <translation>导出全部图</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>文件夹(&amp;F)：</translation>
    </message>
    <message>
        <source>e.g. 0,15,31 or 0-3 or all</source>
        <translation>例如 0,15,31 或 0-3 或 all</translation>
    </message>
    <message>
        <source>Decoder layer numbers, as the layer slider shows them (%1)</source>
        <translation>解码器层号，与层滑块显示的一致（%1）</translation>
    </message>
    <message>
        <source>&amp;Layers:</source>
        <translation>层(&amp;L)：</translation>
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
        <translation>格式：</translation>
    </message>
    <message>
        <source>&amp;Size (width × height):</source>
        <translation>尺寸（宽 × 高）(&amp;S)：</translation>
    </message>
    <message>
        <source>Same colour range for all layers</source>
        <translation>所有层使用相同的颜色范围</translation>
    </message>
    <message>
        <source>The similarity heatmaps of every layer share one colour scale, so layers compare by colour</source>
        <translation>所有层的相似度热图共用一个色标，便于按颜色比较各层</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>Choose a folder for the figures.</source>
        <translation>请为图选择一个文件夹。</translation>
    </message>
    <message>
        <source>Choose at least one format.</source>
        <translation>请至少选择一种格式。</translation>
    </message>
    <message>
        <source>The similarity heatmaps&apos; colour scale: auto (from the values off the diagonal),
or fixed limits &apos;lower,upper&apos; such as 0,1; values beyond them are marked</source>
        <translation>相似度热图的颜色刻度:auto(由对角线以外的值决定),
或固定范围“下限,上限”,例如 0,1;超出范围的值会被标记</translation>
    </message>
    <message>
        <source>Similarity colour &amp;range:</source>
        <translation>相似度颜色范围(&amp;R):</translation>
    </message>
    <message>
        <source>Writes the paper&apos;s figure set: per layer the weight similarity (up, gate, down), neuron-mean similarity, gate-embedding similarity, expert-output similarity, routing heatmap, rank counts, routing statistics and the gate scores of the selected token; once the diversity curves, the rank counts over all layers (as a heatmap and as the paper&apos;s bars), the routing overview and the expert-output similarity of single tokens (first, middle and last layers; the tokens around the selected one).</source>
        <translation>写出论文的图集：每层的权重相似度（up、gate、down）、神经元均值相似度、门控嵌入相似度、专家输出相似度、路由热图、秩计数、路由统计以及选中词元的门控分数；另外一次性写出多样性曲线、所有层的秩计数（热图和论文的条形图）、路由概览，以及单个词元的专家输出相似度（第一层、中间层和最后一层；选中词元附近的词元）。</translation>
    </message>
    <message>
        <source>Gate scores are drawn for the selected token, number %1, and the token outputs for it and its neighbours.</source>
        <translation>门控分数针对选中的第 %1 个词元绘制，词元输出针对它及其相邻词元绘制。</translation>
    </message>
    <message>
        <source>Select a token to include its gate scores (the token outputs show the first tokens).</source>
        <translation>选择一个词元以包含其门控分数（词元输出显示最前面的词元）。</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::FigureBatch</name>
    <message>
        <source>layer %1 %2: %3</source>
        <translation>第 %1 层 %2：%3</translation>
    </message>
    <message>
        <source>Choose a folder for the figures.</source>
        <translation>请为图选择一个文件夹。</translation>
    </message>
    <message>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 是文件，不是文件夹。</translation>
    </message>
    <message>
        <source>Could not create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message>
        <source>The folder %1 is not writable.</source>
        <translation>文件夹 %1 不可写。</translation>
    </message>
    <message>
        <source>The run has none of the chosen figures for these layers.</source>
        <translation>本次运行在这些层上没有任何所选的图。</translation>
    </message>
    <message>
        <source>Could not draw %1.</source>
        <translation>无法绘制 %1。</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::FigureCatalog</name>
    <message>
        <source>the run has no such layer</source>
        <translation>本次运行没有该层</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::FigureExportDialog</name>
    <message>
        <source>Export Figure</source>
        <translation>导出图</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>文件(&amp;F)：</translation>
    </message>
    <message>
        <source>PNG image</source>
        <translation>PNG 图像</translation>
    </message>
    <message>
        <source>PDF document (vector)</source>
        <translation>PDF 文档（矢量）</translation>
    </message>
    <message>
        <source>SVG image (vector)</source>
        <translation>SVG 图像（矢量）</translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation>格式(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Size (width × height):</source>
        <translation>尺寸（宽 × 高）(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>A raster image of exactly this size at this resolution; the file records the DPI.</source>
        <translation>一张恰好为该尺寸和分辨率的位图；文件中记录 DPI。</translation>
    </message>
    <message>
        <source>Vector graphics: the page is exactly this size (to the nearest point) and the fonts are embedded.</source>
        <translation>矢量图：页面恰好为该尺寸（精确到最近的点），并嵌入字体。</translation>
    </message>
    <message>
        <source>Vector graphics: width and height are exactly this size; text stays text, editable in Inkscape or Illustrator.</source>
        <translation>矢量图：宽度和高度恰好为该尺寸；文字保持为文字，可在 Inkscape 或 Illustrator 中编辑。</translation>
    </message>
    <message>
        <source>Choose a file to export to.</source>
        <translation>请选择要导出到的文件。</translation>
    </message>
    <message>
        <source>The file name must end in .png, .pdf or .svg.</source>
        <translation>文件名必须以 .png、.pdf 或 .svg 结尾。</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>文件夹 %1 不存在。</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::FigureSize</name>
    <message>
        <source>A figure side must be between 1 mm and 2 m (asked for %1 × %2 %3).</source>
        <translation>图的边长必须在 1 mm 到 2 m 之间（请求的是 %1 × %2 %3）。</translation>
    </message>
    <message>
        <source>The resolution must be between 10 and 2400 DPI (asked for %1).</source>
        <translation>分辨率必须在 10 到 2400 DPI 之间（请求的是 %1）。</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::FigureSizeEditor</name>
    <message>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>高度</translation>
    </message>
    <message>
        <source>cm</source>
        <translation>厘米</translation>
    </message>
    <message>
        <source>inches</source>
        <translation>英寸</translation>
    </message>
    <message>
        <source>Use &amp;View Size</source>
        <translation>使用视图尺寸(&amp;V)</translation>
    </message>
    <message>
        <source>The size the view has on screen</source>
        <translation>视图在屏幕上的尺寸</translation>
    </message>
    <message>
        <source> DPI</source>
        <translation> DPI</translation>
    </message>
    <message>
        <source>PNG resolution: pixels per inch of the printed figure</source>
        <translation>PNG 分辨率：打印图每英寸的像素数</translation>
    </message>
    <message>
        <source>= %1 × %2 pixels</source>
        <translation>= %1 × %2 像素</translation>
    </message>
    <message>
        <source>(vector formats have no pixels)</source>
        <translation>（矢量格式没有像素）</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::FigureStyleEditor</name>
    <message>
        <source>The view&apos;s title</source>
        <translation>视图自身的标题</translation>
    </message>
    <message>
        <source>No title</source>
        <translation>无标题</translation>
    </message>
    <message>
        <source>This title:</source>
        <translation>此标题：</translation>
    </message>
    <message>
        <source>e.g. the model&apos;s name</source>
        <translation>例如模型名称</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>标题(&amp;T)：</translation>
    </message>
    <message>
        <source>Put the &amp;model&apos;s name before the title</source>
        <translation>在标题前加上模型名称(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Captions under plots (agreement, entropy)</source>
        <translation>图下说明文字（一致率、熵）(&amp;C)</translation>
    </message>
    <message>
        <source>Interface font</source>
        <translation>界面字体</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <source>By width</source>
        <translation>按宽度</translation>
    </message>
    <message>
        <source>&amp;Paper Style</source>
        <translation>论文样式(&amp;P)</translation>
    </message>
    <message>
        <source>The look of the paper&apos;s own figures: the model&apos;s name as the only title, no captions</source>
        <translation>与论文插图一致：仅以模型名称为标题，无说明文字</translation>
    </message>
    <message>
        <source>Fo&amp;nt:</source>
        <translation>字体(&amp;N)：</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::GateFitView</name>
    <message>
        <source>mean R²</source>
        <translation>平均 R²</translation>
    </message>
    <message>
        <source>MoE layer</source>
        <translation>MoE 层</translation>
    </message>
    <message>
        <source>R²</source>
        <translation>R²</translation>
    </message>
    <message>
        <source>The gate embedding&apos;s fit to the expert weights appears here after Analyze or File &gt; Open Results</source>
        <translation>分析或“文件 &gt; 打开结果”后,此处显示门控嵌入与专家权重的拟合</translation>
    </message>
    <message>
        <source>This run has no gate-embedding fit (it needs the gate and neuron-mean analyses)</source>
        <translation>此次运行没有门控嵌入拟合(需要 gate 和 neuron-mean 分析)</translation>
    </message>
    <message>
        <source>Gate embedding against expert weights: R² per layer</source>
        <translation>门控嵌入对专家权重:各层 R²</translation>
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
    <message>
        <source>output norm</source>
        <translation>输出范数</translation>
    </message>
    <message>
        <source>Top-scored expert E%1 is the largest-norm expert</source>
        <translation>得分最高的专家 E%1 正是范数最大的专家</translation>
    </message>
    <message>
        <source>Top-scored expert E%1 is not the largest-norm expert (that is E%2)</source>
        <translation>得分最高的专家 E%1 不是范数最大的专家（范数最大的是 E%2）</translation>
    </message>
    <message>
        <source>Gate scores and output norms, layer %1, token %2 %3</source>
        <translation>门控分数与输出范数，第 %1 层，token %2 %3</translation>
    </message>
    <message>
        <source>E%1
gate score %2 (rank %3 of %4)</source>
        <translation>E%1
门控分数 %2（排名 %3 / %4）</translation>
    </message>
    <message>
        <source>output norm %1 (rank %2 of %3)</source>
        <translation>输出范数 %1（排名 %2 / %3）</translation>
    </message>
    <message>
        <source>(rank %1 = largest)</source>
        <translation>（排名 %1 = 最大）</translation>
    </message>
    <message>
        <source>+%1</source>
        <translation>+%1</translation>
    </message>
    <message numerus="yes">
        <source>%n other expert(s), not drawn one by one
largest gate score among them %1</source>
        <translation>
            <numerusform>另外 %n 个专家，未逐个绘制
其中最大的门控分数 %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>moescope::widgets::LayerList</name>
    <message>
        <source>&quot;%1&quot; is not a layer number or a range like 0-3.</source>
        <translation>“%1”不是层号，也不是类似 0-3 的范围。</translation>
    </message>
    <message>
        <source>Layer %1 is not among the analysed MoE layers (%2).</source>
        <translation>第 %1 层不在已分析的 MoE 层中（%2）。</translation>
    </message>
    <message>
        <source>There are no layers to choose from yet.</source>
        <translation>目前还没有可选择的层。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a token position or a range like 4-6.</source>
        <translation>“%1”不是词元位置，也不是 4-6 这样的范围。</translation>
    </message>
    <message>
        <source>Token %1 is past the end of the text (positions 0-%2).</source>
        <translation>词元 %1 超出文本末尾（位置 0-%2）。</translation>
    </message>
    <message>
        <source>There are no tokens to choose from yet.</source>
        <translation>还没有可供选择的词元。</translation>
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
    <name>moescope::widgets::MeasureNames</name>
    <message>
        <source>Weight similarity (%1)</source>
        <translation>权重相似度（%1）</translation>
    </message>
    <message>
        <source>Neuron-mean similarity (%1)</source>
        <translation>神经元均值相似度（%1）</translation>
    </message>
    <message>
        <source>Re-ordered neuron similarity (%1)</source>
        <translation>神经元重排后相似度（%1）</translation>
    </message>
    <message>
        <source>Kendall&apos;s tau of the neuron order (%1)</source>
        <translation>神经元顺序的 Kendall tau（%1）</translation>
    </message>
    <message>
        <source>Gate-embedding similarity</source>
        <translation>门控嵌入相似度</translation>
    </message>
    <message>
        <source>Expert-output similarity (mean)</source>
        <translation>专家输出相似度（均值）</translation>
    </message>
    <message>
        <source>Weights (%1)</source>
        <translation>权重（%1）</translation>
    </message>
    <message>
        <source>Neuron mean (%1)</source>
        <translation>神经元均值（%1）</translation>
    </message>
    <message>
        <source>Re-ordered (%1)</source>
        <translation>重排后（%1）</translation>
    </message>
    <message>
        <source>Kendall&apos;s tau (%1)</source>
        <translation>Kendall τ（%1）</translation>
    </message>
    <message>
        <source>Gate embedding</source>
        <translation>门控嵌入</translation>
    </message>
    <message>
        <source>Expert outputs</source>
        <translation>专家输出</translation>
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
    <name>moescope::widgets::ModelsSideBySideModel</name>
    <message>
        <source>no routing</source>
        <translation>无路由</translation>
    </message>
    <message>
        <source>E%1 %2</source>
        <translation>E%1 %2</translation>
    </message>
    <message>
        <source>%1 chose other experts than %2 at layer %3</source>
        <translation>在第 %3 层，%1 选择了与 %2 不同的专家</translation>
    </message>
    <message>
        <source>%1 at layer %2: expert, router score, output norm</source>
        <translation>%1 在第 %2 层：专家、路由器得分、输出范数</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>%1 (reference)</source>
        <translation>%1（参考）</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::OutputSimilarityGridView</name>
    <message>
        <source>first, middle, last</source>
        <translation>第一、中间、最后</translation>
    </message>
    <message>
        <source>The layers to show, one row each: &quot;6, 27, 31&quot; or &quot;2-4&quot;.
Empty: the first, middle and last layers with output cosines.</source>
        <translation>要显示的层，每层一行：“6, 27, 31”或“2-4”。
留空：含输出余弦的第一层、中间层和最后一层。</translation>
    </message>
    <message>
        <source>around the selected one</source>
        <translation>选中词元附近</translation>
    </message>
    <message>
        <source>The token positions to show, one column each: &quot;3, 7, 12&quot; or &quot;4-6&quot;.
Empty: the selected token and its neighbours.</source>
        <translation>要显示的词元位置，每个一列：“3, 7, 12”或“4-6”。
留空：选中的词元及其相邻词元。</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>Choose at most %1 layers.</source>
        <translation>最多选择 %1 层。</translation>
    </message>
    <message>
        <source>Choose at most %1 tokens.</source>
        <translation>最多选择 %1 个词元。</translation>
    </message>
    <message>
        <source>Per-token output similarity (D2) appears here after Analyze or File &gt; Open Results</source>
        <translation>逐词元输出相似度（D2）将在“分析”或“文件 &gt; 打开结果”后显示在此处</translation>
    </message>
    <message>
        <source>This run stored no per-token output similarity (D2).
Run the &quot;outputs&quot; analysis to see how alike the experts&apos; outputs are for each token.</source>
        <translation>此次运行未保存逐词元输出相似度（D2）。
运行“outputs”分析即可查看每个词元上专家输出的相似程度。</translation>
    </message>
    <message>
        <source>No layer or token to show: check the lists above</source>
        <translation>没有可显示的层或词元：请检查上方的列表</translation>
    </message>
    <message>
        <source>Expert output similarity per token</source>
        <translation>逐词元的专家输出相似度</translation>
    </message>
    <message>
        <source>exp %1</source>
        <translation>exp %1</translation>
    </message>
    <message>
        <source>token %1</source>
        <translation>词元 %1</translation>
    </message>
    <message>
        <source>#%1 “%2”</source>
        <translation>#%1 “%2”</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <source>Layer %1, %2
experts %3 and %4: cosine %5</source>
        <translation>第 %1 层，%2
专家 %3 与 %4：余弦 %5</translation>
    </message>
    <message>
        <source>chosen: %1</source>
        <translation>已选：%1</translation>
    </message>
    <message>
        <source>the diagonal: an expert against itself</source>
        <translation>对角线：专家与自身比较</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>层：</translation>
    </message>
    <message>
        <source>Tokens:</source>
        <translation>词元：</translation>
    </message>
    <message>
        <source>The per-token output similarity appears as its layers are done
(for a large run, from the results file when the run ends).</source>
        <translation>逐词元输出相似度将在各层完成时显示
（大型运行则在运行结束时从结果文件读取）。</translation>
    </message>
    <message>
        <source>Layer %1 has no per-token output similarity.</source>
        <translation>第 %1 层没有逐词元的输出相似度。</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::PcaScatterView</name>
    <message>
        <source>L&amp;evel:</source>
        <translation>级别(&amp;E)：</translation>
    </message>
    <message>
        <source>Matrix level (one point per expert)</source>
        <translation>矩阵级（每个专家一个点）</translation>
    </message>
    <message>
        <source>Neuron level (one point per neuron)</source>
        <translation>神经元级（每个神经元一个点）</translation>
    </message>
    <message>
        <source>&amp;Projection:</source>
        <translation>投影(&amp;P)：</translation>
    </message>
    <message>
        <source>up (W_up)</source>
        <translation>up（W_up）</translation>
    </message>
    <message>
        <source>gate (W_gate)</source>
        <translation>gate（W_gate）</translation>
    </message>
    <message>
        <source>down (W_down)</source>
        <translation>down（W_down）</translation>
    </message>
    <message>
        <source>principal component 1</source>
        <translation>主成分 1</translation>
    </message>
    <message>
        <source>principal component 2</source>
        <translation>主成分 2</translation>
    </message>
    <message>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <source>The experts&apos; PCA appears here after Analyze or File &gt; Open Results</source>
        <translation>点击“分析”或“文件 &gt; 打开结果”后，专家的 PCA 会显示在这里</translation>
    </message>
    <message>
        <source>This run computed no PCA (S5) at this layer</source>
        <translation>本次运行未在该层计算 PCA（S5）</translation>
    </message>
    <message>
        <source>Layer %1: every neuron of the %2 projection, PCA (neuron level)</source>
        <translation>第 %1 层：%2 投影的每个神经元，PCA（神经元级）</translation>
    </message>
    <message>
        <source>every %1th of %2 neurons shown</source>
        <translation>每 %1 个显示一个，共 %2 个神经元</translation>
    </message>
    <message>
        <source>Layer %1: each expert&apos;s %2 matrix as one point, PCA (matrix level)</source>
        <translation>第 %1 层：每个专家的 %2 矩阵作为一个点，PCA（矩阵级）</translation>
    </message>
    <message>
        <source>%1
PC 1: %2
PC 2: %3</source>
        <translation>%1
主成分 1：%2
主成分 2：%3</translation>
    </message>
    <message>
        <source>%1, neuron %2</source>
        <translation>%1，神经元 %2</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::PendingLayers</name>
    <message>
        <source>Layer %1 is still being computed.
%2 of %3 layers done; each view fills in as its layer arrives.</source>
        <translation>第 %1 层仍在计算中。
已完成 %2 / %3 层；每个视图会在其所需的层到达后填充。</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::PlotView</name>
    <message>
        <source>Reset View</source>
        <translation>重置视图</translation>
    </message>
    <message>
        <source>Export Figure…</source>
        <translation>导出图…</translation>
    </message>
    <message>
        <source>Export Data as CSV…</source>
        <translation>将数据导出为 CSV…</translation>
    </message>
    <message>
        <source>What am I looking at?</source>
        <translation>我在看什么？</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::RankCountView</name>
    <message>
        <source>&amp;All layers</source>
        <translation>所有层(&amp;A)</translation>
    </message>
    <message>
        <source>On: the counts summed over every MoE layer.
Off: the selected layer only.</source>
        <translation>开：对所有 MoE 层的计数求和。
关：仅所选层。</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>token 数</translation>
    </message>
    <message>
        <source>output-norm rank (1 = smallest)</source>
        <translation>输出范数排名（1 = 最小）</translation>
    </message>
    <message>
        <source>gate-score rank (1 = smallest)</source>
        <translation>门控分数排名（1 = 最小）</translation>
    </message>
    <message>
        <source>Top-1 agreement at layer %1: %2 of tokens</source>
        <translation>第 %1 层的 Top-1 一致率：%2 的 token</translation>
    </message>
    <message>
        <source>Top-1 agreement over all layers: %1 of tokens</source>
        <translation>所有层的 Top-1 一致率：%1 的 token</translation>
    </message>
    <message>
        <source>over all layers: %1</source>
        <translation>所有层：%1</translation>
    </message>
    <message>
        <source>Gate scores against output norms appear here after Analyze or File &gt; Open Results</source>
        <translation>点击“分析”或“文件 &gt; 打开结果”后，门控分数与输出范数的对比会显示在这里</translation>
    </message>
    <message>
        <source>This run has no rank counts over all layers</source>
        <translation>本次运行没有所有层的排名计数</translation>
    </message>
    <message>
        <source>This run computed no rank counts at this layer</source>
        <translation>本次运行未在该层计算排名计数</translation>
    </message>
    <message>
        <source>All layers: gate-score rank against output-norm rank</source>
        <translation>所有层：门控分数排名对输出范数排名</translation>
    </message>
    <message>
        <source>Layer %1: gate-score rank against output-norm rank</source>
        <translation>第 %1 层：门控分数排名对输出范数排名</translation>
    </message>
    <message numerus="yes">
        <source>gate-score rank %1, output-norm rank %2
%n token(s)</source>
        <translation>
            <numerusform>门控分数排名 %1，输出范数排名 %2
%n 个 token</numerusform>
        </translation>
    </message>
    <message>
        <source>Dra&amp;w as:</source>
        <translation>绘制方式(&amp;W):</translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation>热图</translation>
    </message>
    <message>
        <source>Grouped bars</source>
        <translation>分组柱状图</translation>
    </message>
    <message>
        <source>Heatmap: one cell per pair of ranks.
Grouped bars: as the paper draws it, the bars of each output-norm rank side by side,
one colour per gate-score rank.</source>
        <translation>热图:每对排名一个单元格。
分组柱状图:与论文相同,每个输出范数排名的柱并排,
每个门控分数排名一种颜色。</translation>
    </message>
    <message>
        <source>All layers: tokens by output-norm rank, a bar per gate-score rank</source>
        <translation>所有层:按输出范数排名统计的词元数,每个门控分数排名一根柱</translation>
    </message>
    <message>
        <source>Layer %1: tokens by output-norm rank, a bar per gate-score rank</source>
        <translation>第 %1 层:按输出范数排名统计的词元数,每个门控分数排名一根柱</translation>
    </message>
    <message>
        <source>score rank %1</source>
        <translation>分数排名 %1</translation>
    </message>
    <message>
        <source>gate-score rank</source>
        <translation>门控分数排名</translation>
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
    <message>
        <source>%1: no layer %2</source>
        <translation>%1：没有第 %2 层</translation>
    </message>
    <message>
        <source>%1
Token %2: %3
Expert E%4
Mixing weight: %5
Gate score: %6</source>
        <translation>%1
Token %2：%3
专家 E%4
混合权重：%5
门控分数：%6</translation>
    </message>
    <message>
        <source>This run computed no routing at layer %1</source>
        <translation>本次运行未在第 %1 层计算路由</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::RoutingOverviewView</name>
    <message>
        <source>load</source>
        <translation>负载</translation>
    </message>
    <message>
        <source>expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Expert load by layer: no results yet</source>
        <translation>各层专家负载：尚无结果</translation>
    </message>
    <message>
        <source>This run computed no expert load</source>
        <translation>本次运行未计算专家负载</translation>
    </message>
    <message>
        <source>Expert load (%1 of %2 layers)</source>
        <translation>专家负载（%2 层中的 %1 层）</translation>
    </message>
    <message>
        <source>Expert load by layer</source>
        <translation>各层专家负载</translation>
    </message>
    <message>
        <source>layer %1: not computed yet</source>
        <translation>第 %1 层：尚未计算</translation>
    </message>
    <message>
        <source>layer %1, expert %2: no load computed</source>
        <translation>第 %1 层，专家 %2：未计算负载</translation>
    </message>
    <message>
        <source>layer %1, expert %2: load %3 (balanced 1/E = %4, %5× balanced)</source>
        <translation>第 %1 层，专家 %2：负载 %3（均衡 1/E = %4，为均衡的 %5 倍）</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::RoutingStatisticsView</name>
    <message>
        <source>P(column chosen | row chosen)</source>
        <translation>P(列被选中 | 行被选中)</translation>
    </message>
    <message>
        <source>expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>load (share of routing slots)</source>
        <translation>负载（路由槽位份额）</translation>
    </message>
    <message>
        <source>load</source>
        <translation>负载</translation>
    </message>
    <message>
        <source>f (also chosen)</source>
        <translation>f（同时被选中）</translation>
    </message>
    <message>
        <source>e (chosen)</source>
        <translation>e（被选中）</translation>
    </message>
    <message>
        <source>balanced 1/E = %1</source>
        <translation>均衡 1/E = %1</translation>
    </message>
    <message>
        <source>Routing statistics appear here after Analyze or File &gt; Open Results</source>
        <translation>点击“分析”或“文件 &gt; 打开结果”后，路由统计会显示在这里</translation>
    </message>
    <message>
        <source>This run computed no routing statistics at this layer</source>
        <translation>本次运行未在该层计算路由统计</translation>
    </message>
    <message>
        <source>Layer %1: expert load and co-activation</source>
        <translation>第 %1 层：专家负载与共激活</translation>
    </message>
    <message>
        <source>Load entropy %1 nats</source>
        <translation>负载熵 %1 nats</translation>
    </message>
    <message>
        <source>Load entropy %1 nats (normalised %2)</source>
        <translation>负载熵 %1 nats（归一化 %2）</translation>
    </message>
    <message>
        <source>Normalised load entropy %1</source>
        <translation>归一化负载熵 %1</translation>
    </message>
    <message>
        <source>coefficient of variation %1</source>
        <translation>变异系数 %1</translation>
    </message>
    <message>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <source>E%1: load %2 (balanced %3)</source>
        <translation>E%1：负载 %2（均衡 %3）</translation>
    </message>
    <message>
        <source>P(E%1 chosen | E%2 chosen) = %3</source>
        <translation>P(E%1 被选中 | E%2 被选中) = %3</translation>
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
        <translation>按模型(&amp;M)</translation>
    </message>
    <message>
        <source>The models on the horizontal axis, in the order given (checkpoints of a run, say):
the mean over layers and the selected layer. The reference is 1 by definition.</source>
        <translation>模型按给定顺序放在横轴上（例如一次训练的检查点）：
各层的均值以及所选层。参考模型按定义为 1。</translation>
    </message>
    <message>
        <source>top-1 agreement</source>
        <translation>top-1 一致率</translation>
    </message>
    <message>
        <source>top-k overlap (router saturation)</source>
        <translation>top-k 重合（路由饱和度）</translation>
    </message>
    <message>
        <source>Jaccard</source>
        <translation>Jaccard</translation>
    </message>
    <message>
        <source>Kendall&apos;s tau of the scores</source>
        <translation>得分的 Kendall tau</translation>
    </message>
    <message>
        <source>Open a comparison (File &gt; Compare Models…) to see routing agreement by layer</source>
        <translation>打开一个比较（文件 &gt; 比较模型…），查看各层的路由一致性</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>mean over layers</source>
        <translation>各层均值</translation>
    </message>
    <message>
        <source>layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <source>Routing agreement with %1 over the models</source>
        <translation>各模型与 %1 的路由一致性</translation>
    </message>
    <message>
        <source>MoE layer</source>
        <translation>MoE 层</translation>
    </message>
    <message>
        <source>%1 vs %2</source>
        <translation>%1 对比 %2</translation>
    </message>
    <message>
        <source>Routing agreement of %1 with %2 by layer</source>
        <translation>%1 与 %2 的逐层路由一致性</translation>
    </message>
    <message>
        <source>Routing agreement with %1 by layer</source>
        <translation>与 %1 的逐层路由一致性</translation>
    </message>
    <message>
        <source>%1, %2
%3: %4</source>
        <translation>%1，%2
%3：%4</translation>
    </message>
    <message>
        <source>Layer %1, %2
%3: %4</source>
        <translation>第 %1 层，%2
%3：%4</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::SimilarityHeatmapView</name>
    <message>
        <source>&amp;Measure:</source>
        <translation>度量(&amp;M)：</translation>
    </message>
    <message>
        <source>Which similarity of the experts to show</source>
        <translation>显示专家的哪种相似度</translation>
    </message>
    <message>
        <source>Same range for all layers</source>
        <translation>所有层使用相同范围</translation>
    </message>
    <message>
        <source>On: one colour range over every layer, so layers compare by colour.
Off: each layer uses its own range, which shows its details best.</source>
        <translation>开：所有层使用同一个颜色范围，便于按颜色比较各层。
关：每层使用各自的范围，最能显示该层的细节。</translation>
    </message>
    <message>
        <source>expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>E%1</source>
        <translation>E%1</translation>
    </message>
    <message>
        <source>Expert similarity appears here after Analyze or File &gt; Open Results</source>
        <translation>点击“分析”或“文件 &gt; 打开结果”后，专家相似度会显示在这里</translation>
    </message>
    <message>
        <source>This run computed no expert similarity</source>
        <translation>本次运行未计算专家相似度</translation>
    </message>
    <message>
        <source>%1 was not computed at this layer</source>
        <translation>该层未计算 %1</translation>
    </message>
    <message>
        <source>Layer %1: %2</source>
        <translation>第 %1 层：%2</translation>
    </message>
    <message>
        <source>not computed</source>
        <translation>未计算</translation>
    </message>
    <message>
        <source>%1 × %2
%3: %4</source>
        <translation>%1 × %2
%3：%4</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>0 to 1</source>
        <translation>0 到 1</translation>
    </message>
    <message>
        <source>−1 to 1</source>
        <translation>−1 到 1</translation>
    </message>
    <message>
        <source>Typed limits</source>
        <translation>自定义范围</translation>
    </message>
    <message>
        <source>Automatic: from the values off the diagonal (each layer&apos;s, or all layers&apos;).
Fixed: the same limits for every layer and model; values beyond them
take the end colour and a mark (▲ above, ▼ below).</source>
        <translation>自动:由对角线以外的值决定(每层各自,或所有层统一)。
固定:每层、每个模型使用相同范围;超出范围的值
取端点颜色并加标记(▲ 高于,▼ 低于)。</translation>
    </message>
    <message>
        <source>Lower limit of the colour scale</source>
        <translation>颜色刻度下限</translation>
    </message>
    <message>
        <source>Upper limit of the colour scale</source>
        <translation>颜色刻度上限</translation>
    </message>
    <message>
        <source>▲ above %1</source>
        <translation>▲ 高于 %1</translation>
    </message>
    <message>
        <source>▼ below %1</source>
        <translation>▼ 低于 %1</translation>
    </message>
    <message>
        <source>Beyond the colour range: %1</source>
        <translation>超出颜色范围:%1</translation>
    </message>
    <message>
        <source>%1 (itself: grey, outside the colour scale)</source>
        <translation>%1(与自身:灰色,不在颜色刻度内)</translation>
    </message>
    <message>
        <source>%1 (above the colour range)</source>
        <translation>%1(高于颜色范围)</translation>
    </message>
    <message>
        <source>%1 (below the colour range)</source>
        <translation>%1(低于颜色范围)</translation>
    </message>
    <message>
        <source>Colo&amp;ur range:</source>
        <translation>颜色范围(&amp;U):</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::TableExport</name>
    <message>
        <source>This view has no data to export yet.</source>
        <translation>该视图尚无可导出的数据。</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>LaTeX tabular (*.tex)</source>
        <translation>LaTeX 表格 (*.tex)</translation>
    </message>
    <message>
        <source>Export Data</source>
        <translation>导出数据</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
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
        <source>#%1 (weight)</source>
        <translation>第 %1（权重）</translation>
    </message>
    <message>
        <source>E%1  %2</source>
        <translation>E%1  %2</translation>
    </message>
    <message>
        <source>Token %1: &lt;b&gt;%2&lt;/b&gt; (id %3)</source>
        <translation>Token %1：&lt;b&gt;%2&lt;/b&gt;（ID %3）</translation>
    </message>
    <message>
        <source>Top score&apos;s norm rank</source>
        <translation>最高分专家的范数排名</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>第 %1 / %2</translation>
    </message>
    <message>
        <source>Each model&apos;s experts for this token: expert, router score, ‖output‖; tinted where a model chose other experts than the reference</source>
        <translation>每个模型为此词元选择的专家：专家、路由器得分、‖输出‖；模型选择了与参考模型不同的专家时着色</translation>
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
    <message>
        <source>Color: top-1 expert (grey: layer pending):</source>
        <translation>颜色：首选专家（灰色：该层尚未完成）：</translation>
    </message>
    <message>
        <source>Color: top-1 expert (grey: layer pending)</source>
        <translation>颜色：首选专家（灰色：该层尚未完成）</translation>
    </message>
    <message>
        <source>red corner: %1 chose other experts than %2</source>
        <translation>红色角标：%1 选择了与 %2 不同的专家</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Generated by the model</source>
        <translation>由模型生成</translation>
    </message>
</context>
<context>
    <name>moescope::widgets::ViewTable</name>
    <message numerus="yes">
        <source>token %1 is out of range (the text has %n token(s))</source>
        <translation>
            <numerusform>token %1 超出范围（文本共有 %n 个 token）</numerusform>
        </translation>
    </message>
    <message>
        <source>layer %1 has no routing</source>
        <translation>第 %1 层没有路由数据</translation>
    </message>
    <message>
        <source>layer %1 has no analyses</source>
        <translation>第 %1 层没有分析结果</translation>
    </message>
    <message>
        <source>layer %1 has no %2</source>
        <translation>第 %1 层没有 %2</translation>
    </message>
    <message>
        <source>the run has no diversity curves</source>
        <translation>本次运行没有多样性曲线</translation>
    </message>
    <message>
        <source>layer %1 has no routing statistics</source>
        <translation>第 %1 层没有路由统计</translation>
    </message>
    <message>
        <source>the run has no rank counts over all layers</source>
        <translation>本次运行没有所有层的排名计数</translation>
    </message>
    <message>
        <source>layer %1 has no rank counts</source>
        <translation>第 %1 层没有排名计数</translation>
    </message>
    <message>
        <source>layer %1 has no activations</source>
        <translation>第 %1 层没有激活值</translation>
    </message>
    <message>
        <source>the run has no expert load (routing statistics)</source>
        <translation>该运行没有专家负载（路由统计）</translation>
    </message>
    <message>
        <source>&amp;Routing</source>
        <translation>路由(&amp;R)</translation>
    </message>
    <message>
        <source>Which experts each token chose at the selected layer</source>
        <translation>每个 token 在所选层选择了哪些专家</translation>
    </message>
    <message>
        <source>Expert &amp;Similarity</source>
        <translation>专家相似度(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Diversity by Layer</source>
        <translation>各层多样性(&amp;D)</translation>
    </message>
    <message>
        <source>How alike the experts of each layer are, layer by layer</source>
        <translation>逐层显示每层专家之间的相似程度</translation>
    </message>
    <message>
        <source>Routing S&amp;tatistics</source>
        <translation>路由统计(&amp;T)</translation>
    </message>
    <message>
        <source>How evenly the router spreads the tokens over the experts, and which experts are chosen together</source>
        <translation>路由器在各专家之间分配 token 的均衡程度，以及哪些专家会被一起选中</translation>
    </message>
    <message>
        <source>&amp;Norms vs Scores</source>
        <translation>范数与分数(&amp;N)</translation>
    </message>
    <message>
        <source>Whether the router&apos;s highest-scored experts are those whose outputs have the largest norms</source>
        <translation>路由器打分最高的专家是否正是输出范数最大的专家</translation>
    </message>
    <message>
        <source>&amp;PCA of Experts</source>
        <translation>专家 PCA(&amp;P)</translation>
    </message>
    <message>
        <source>Each expert, or each of its neurons, projected to two dimensions</source>
        <translation>将每个专家或其每个神经元投影到二维</translation>
    </message>
    <message>
        <source>Acti&amp;vations</source>
        <translation>激活值(&amp;V)</translation>
    </message>
    <message>
        <source>The intermediate activations of every expert for the selected token</source>
        <translation>所选 token 在每个专家中的中间激活值</translation>
    </message>
    <message>
        <source>Gate Scores</source>
        <translation>门控分数</translation>
    </message>
    <message>
        <source>The gate score and output norm of every expert for the selected token</source>
        <translation>所选词元下每个专家的门控分数与输出范数</translation>
    </message>
    <message>
        <source>Routing Overview</source>
        <translation>路由概览</translation>
    </message>
    <message>
        <source>the run has no gate-embedding fit (gate and neuron-mean analyses)</source>
        <translation>此次运行没有门控嵌入拟合(gate 和 neuron-mean 分析)</translation>
    </message>
    <message>
        <source>Gate F&amp;it</source>
        <translation>门控拟合(&amp;I)</translation>
    </message>
    <message>
        <source>How closely the router&apos;s gate embedding follows the experts&apos; weights, layer by layer</source>
        <translation>路由器的门控嵌入在各层与专家权重的吻合程度</translation>
    </message>
    <message>
        <source>the run has no per-token output similarity (the outputs analysis)</source>
        <translation>此次运行没有逐词元输出相似度（outputs 分析）</translation>
    </message>
    <message>
        <source>To&amp;ken Outputs</source>
        <translation>词元输出(&amp;K)</translation>
    </message>
    <message>
        <source>How alike the experts&apos; outputs are for single tokens, layer by layer</source>
        <translation>逐层查看单个词元上各专家输出的相似程度</translation>
    </message>
    <message>
        <source>the results are of one model, not a comparison (moescope-cli compare writes one)</source>
        <translation>这些结果属于单个模型，不是比较（moescope-cli compare 可生成比较）</translation>
    </message>
    <message>
        <source>the comparison has no output cosines (C4)</source>
        <translation>该比较没有输出余弦（C4）</translation>
    </message>
    <message>
        <source>the comparison has no output norm ratios (C4)</source>
        <translation>该比较没有输出范数比（C4）</translation>
    </message>
    <message>
        <source>the comparison has no tokens</source>
        <translation>该比较没有词元</translation>
    </message>
    <message>
        <source>the comparison holds two models; over models needs three or more</source>
        <translation>该比较包含两个模型；按模型需要三个或更多</translation>
    </message>
    <message>
        <source>the comparison has no routing agreement (C1)</source>
        <translation>该比较没有路由一致性（C1）</translation>
    </message>
    <message>
        <source>the comparison has no expert correspondence (C2): a comparison of results files holds their routing only; compare the models themselves for it</source>
        <translation>该比较没有专家对应（C2）：结果文件的比较只包含其路由；如需专家对应，请比较模型本身</translation>
    </message>
    <message>
        <source>layer %1 of the comparison has no %2</source>
        <translation>该比较的第 %1 层没有 %2</translation>
    </message>
    <message>
        <source>Compare: &amp;Agreement</source>
        <translation>比较：一致性(&amp;A)</translation>
    </message>
    <message>
        <source>Where the compared model routes differently from the reference: layers × tokens</source>
        <translation>被比较模型在哪里与参考模型路由不同：层 × 词元</translation>
    </message>
    <message>
        <source>Compare: Sat&amp;uration</source>
        <translation>比较：饱和度(&amp;U)</translation>
    </message>
    <message>
        <source>How far each model routes as the reference does, layer by layer</source>
        <translation>各模型逐层与参考模型路由一致的程度</translation>
    </message>
    <message>
        <source>Compare: E&amp;xperts</source>
        <translation>比较：专家(&amp;X)</translation>
    </message>
    <message>
        <source>Each expert of the compared model against each of the reference, with the matching</source>
        <translation>被比较模型的每个专家对参考模型的每个专家，并标出匹配</translation>
    </message>
</context>
</TS>
