/**
 * UI text in English and Chinese (Simplified).
 *
 * Invariant: `zh` has exactly the keys of `en` (the type says so, a test checks
 * the placeholders match). Messages that come from the engine (error reports)
 * are shown as they arrive, in English.
 */
import { Store } from "./store";

const en = {
  "app.name": "Alter",
  "app.tagline": "Your digital twin, offline",
  "nav.label": "Main",
  "nav.library": "Library",
  "footer.offline": "Offline. Your data never leaves this computer.",
  "footer.version": "Version {version}",
  "footer.language": "Language",
  "library.title": "Library",
  "library.subtitle": "The digital twins on this computer.",
  "library.new": "New twin",
  "library.loading": "Loading your twins…",
  "library.count.one": "1 twin",
  "library.count.other": "{count} twins",
  "library.loadFailed": "The library could not be read.",
  "library.retry": "Try again",
  "empty.title": "No twins yet",
  "empty.body":
    "A twin learns to answer as you from your documents and voice. Start by giving it a name and a role; you can add documents and voice samples next.",
  "empty.action": "Create your first twin",
  "card.created": "Created {date}",
  "card.score": "Self-test {score}",
  "card.notBuilt": "Not built yet",
  "card.noRole": "No role set",
  "dialog.title": "New twin",
  "dialog.description": "Give your twin a name and a role. You can change both later.",
  "dialog.name": "Name",
  "dialog.nameHint": "As colleagues know you, for example Maya Okafor.",
  "dialog.role": "Role",
  "dialog.roleHint": "Optional, for example Mortgage advisor, retail banking.",
  "dialog.cancel": "Cancel",
  "dialog.create": "Create twin",
  "dialog.creating": "Creating…",
  "dialog.close": "Close",
  "toast.created": "{name} was added to your library.",
  "problem.title.database": "Alter's library database is damaged",
  "problem.title.io": "Alter cannot write to its data folder",
  "problem.title.other": "Alter could not open its library",
  "problem.lead": "Alter started, but it cannot show your twins until this is fixed. Nothing has been deleted.",
  "problem.todo": "What to do",
  "problem.database.1": "Close Alter.",
  "problem.database.2": "Move the file {database} to another folder. Keep it: it may be recoverable.",
  "problem.database.3": "Start Alter again. It will create a fresh, empty library.",
  "problem.io.1": "Check that the folder {home} exists and that you may write to it.",
  "problem.io.2": "Or start Alter with the ALTER_HOME environment variable set to a writable folder.",
  "problem.other.1": "Start Alter again. If the problem stays, send the technical details below to your IT support.",
  "problem.details": "Technical details",
  "problem.code": "Error code",
  "twin.back": "Back to the library",
  "twin.tabs": "Twin",
  "twin.tab.build": "Build",
  "twin.tab.talk": "Talk",
  "card.open": "Open {name}",
  "build.title": "Build from your material",
  "build.lead": "Choose a folder with a docs/ folder of your documents and, optionally, a voice/ folder of voice samples and a twin.toml.",
  "build.folder": "Folder",
  "build.folderHint": "For example /home/maya/twin",
  "build.start": "Build",
  "build.rebuild": "Build again",
  "build.cancel": "Cancel",
  "build.cancelling": "Cancelling…",
  "build.cancelled": "The build was cancelled. Build again to continue where it stopped.",
  "build.failed": "The build did not finish.",
  "build.stage.ingest": "Reading documents",
  "build.stage.voice": "Learning the voice",
  "build.stage.persona": "Learning the persona",
  "build.stage.selftest": "Self-test",
  "build.eta": "about {seconds} s left",
  "build.doneIn": "Built in {seconds} s: {documents} documents.",
  "build.failedFiles": "Files that could not be read",
  "build.warnings": "Worth knowing",
  "report.title": "Report card",
  "report.score": "Overall",
  "report.accuracy": "Answers correct",
  "report.citations": "Citations correct",
  "report.declines": "Unknowns declined",
  "report.style": "Sounds like you",
  "report.voice": "Voice similarity",
  "report.questions": "Self-test questions",
  "report.pass": "passed",
  "report.fail": "missed",
  "report.notMeasured": "not measured",
  "talk.ask": "Ask",
  "talk.placeholder": "Ask {name} a question…",
  "talk.label": "Your question",
  "talk.stop": "Stop speaking",
  "talk.thinking": "Thinking…",
  "talk.declined": "Not in the documents",
  "talk.sources": "Sources",
  "talk.emotion": "Mood: {emotion}",
  "talk.empty": "Ask {name} anything their documents cover. Answers cite where each fact came from.",
  "talk.latency": "Latency of the last answers",
  "talk.firstToken": "first word {ms} ms",
  "talk.total": "full answer {ms} ms",
  "talk.failed": "No answer:",
  "emotion.neutral": "calm",
  "emotion.happy": "happy",
  "emotion.concerned": "concerned",
  "emotion.surprised": "surprised",
  "emotion.sad": "sad",
  "error.unexpected": "Something unexpected went wrong. Please try again.",
} as const;

export type MessageKey = keyof typeof en;
export type Locale = "en" | "zh";

const zh: Record<MessageKey, string> = {
  "app.name": "Alter",
  "app.tagline": "你的离线数字分身",
  "nav.label": "主导航",
  "nav.library": "分身库",
  "footer.offline": "完全离线，数据不会离开这台电脑。",
  "footer.version": "版本 {version}",
  "footer.language": "语言",
  "library.title": "分身库",
  "library.subtitle": "这台电脑上的数字分身。",
  "library.new": "新建分身",
  "library.loading": "正在加载分身…",
  "library.count.one": "1 个分身",
  "library.count.other": "{count} 个分身",
  "library.loadFailed": "无法读取分身库。",
  "library.retry": "重试",
  "empty.title": "还没有分身",
  "empty.body": "分身会从你的文档和声音中学习如何像你一样回答。先为它起个名字、设定角色，然后再添加文档和声音样本。",
  "empty.action": "创建第一个分身",
  "card.created": "创建于 {date}",
  "card.score": "自测 {score}",
  "card.notBuilt": "尚未构建",
  "card.noRole": "未设定角色",
  "dialog.title": "新建分身",
  "dialog.description": "为分身设置名字和角色，之后都可以修改。",
  "dialog.name": "名字",
  "dialog.nameHint": "同事们对你的称呼，例如 王敏。",
  "dialog.role": "角色",
  "dialog.roleHint": "可选，例如 零售银行房贷顾问。",
  "dialog.cancel": "取消",
  "dialog.create": "创建分身",
  "dialog.creating": "正在创建…",
  "dialog.close": "关闭",
  "toast.created": "已将 {name} 加入分身库。",
  "problem.title.database": "Alter 的分身库数据库已损坏",
  "problem.title.io": "Alter 无法写入数据文件夹",
  "problem.title.other": "Alter 无法打开分身库",
  "problem.lead": "Alter 已启动，但在解决此问题之前无法显示你的分身。没有任何数据被删除。",
  "problem.todo": "处理方法",
  "problem.database.1": "关闭 Alter。",
  "problem.database.2": "将文件 {database} 移到其他文件夹。请保留它：其中的数据可能还能恢复。",
  "problem.database.3": "重新启动 Alter，它会创建一个全新的空分身库。",
  "problem.io.1": "确认文件夹 {home} 存在并且你有写入权限。",
  "problem.io.2": "或者将环境变量 ALTER_HOME 设为一个可写的文件夹后再启动 Alter。",
  "problem.other.1": "重新启动 Alter。如果问题仍然存在，请把下面的技术详情发给 IT 支持。",
  "problem.details": "技术详情",
  "problem.code": "错误代码",
  "twin.back": "返回分身库",
  "twin.tabs": "分身",
  "twin.tab.build": "构建",
  "twin.tab.talk": "对话",
  "card.open": "打开 {name}",
  "build.title": "用你的资料构建",
  "build.lead": "选择一个文件夹：其中的 docs/ 放你的文档，可选的 voice/ 放语音样本，还可以有 twin.toml。",
  "build.folder": "文件夹",
  "build.folderHint": "例如 /home/maya/twin",
  "build.start": "构建",
  "build.rebuild": "重新构建",
  "build.cancel": "取消",
  "build.cancelling": "正在取消…",
  "build.cancelled": "构建已取消。再次构建会从中断处继续。",
  "build.failed": "构建没有完成。",
  "build.stage.ingest": "读取文档",
  "build.stage.voice": "学习声音",
  "build.stage.persona": "学习个人风格",
  "build.stage.selftest": "自测",
  "build.eta": "还需约 {seconds} 秒",
  "build.doneIn": "构建用时 {seconds} 秒：{documents} 份文档。",
  "build.failedFiles": "无法读取的文件",
  "build.warnings": "需要注意",
  "report.title": "成绩单",
  "report.score": "总分",
  "report.accuracy": "回答正确",
  "report.citations": "引用正确",
  "report.declines": "未知问题已婉拒",
  "report.style": "像你本人",
  "report.voice": "声音相似度",
  "report.questions": "自测问题",
  "report.pass": "通过",
  "report.fail": "未通过",
  "report.notMeasured": "未测量",
  "talk.ask": "提问",
  "talk.placeholder": "向 {name} 提问…",
  "talk.label": "你的问题",
  "talk.stop": "停止说话",
  "talk.thinking": "思考中…",
  "talk.declined": "文档中没有",
  "talk.sources": "来源",
  "talk.emotion": "情绪：{emotion}",
  "talk.empty": "可以问 {name} 文档里涉及的任何问题。回答会注明每个事实的出处。",
  "talk.latency": "最近几次回答的延迟",
  "talk.firstToken": "首字 {ms} 毫秒",
  "talk.total": "完整回答 {ms} 毫秒",
  "talk.failed": "没有回答：",
  "emotion.neutral": "平静",
  "emotion.happy": "愉快",
  "emotion.concerned": "关切",
  "emotion.surprised": "惊讶",
  "emotion.sad": "难过",
  "error.unexpected": "发生了意外错误，请重试。",
};

export const messages: Record<Locale, Record<MessageKey, string>> = { en, zh };

/** Picks the UI language from the system's preferred languages. */
export function detectLocale(languages: readonly string[]): Locale {
  for (const lang of languages) {
    const base = lang.toLowerCase().split(/[-_]/)[0];
    if (base === "zh") return "zh";
    if (base === "en") return "en";
  }
  return "en";
}

/** Fills `{name}` placeholders; unknown placeholders are left visible so they get noticed. */
export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

export const locale = new Store<Locale>(
  detectLocale(typeof navigator === "undefined" ? [] : navigator.languages),
);

/** Translates `key` in the current locale. */
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  return format(messages[locale.get()][key], vars);
}

/** The BCP-47 tag for dates and numbers in the current locale. */
export function intlLocale(): string {
  return locale.get() === "zh" ? "zh-CN" : "en-GB";
}
