// Words every screen of the console shares. `en` defines the keys; `zh-CN`
// must have the same ones (a missing key fails tsc).
export type Locale = "en" | "zh-CN";

/** The languages offered, in the order the switch lists them. */
export const locales: readonly Locale[] = ["zh-CN", "en"];

/** A catalog per locale; the second must have every key of the first. */
export type Catalog<T> = { en: T; "zh-CN": NoInfer<T> };

/** Types a screen's catalog: zh-CN must match en key for key. */
export function catalog<T extends Record<string, unknown>>(texts: Catalog<T>): Catalog<T> {
  return texts;
}

/** The locale the browser asks for first, among those offered. */
export function preferredLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    if (tag.toLowerCase().startsWith("zh")) return "zh-CN";
    if (tag.toLowerCase().startsWith("en")) return "en";
  }
  return "zh-CN";
}

export const common = catalog({
  en: {
    appName: "Aftercare console",
    language: "Language",
    languageName: "English",
    signIn: "Sign in",
    signOut: "Sign out",
    token: "Bearer token",
    tokenHelp: "Paste a token, e.g. from `aftercare token --role oem`. It is kept for this browser tab only.",
    tokenInvalid: "This is not a token: it must be three parts separated by dots.",
    tokenExpired: "This token has expired.",
    signedInAs: "Signed in as",
    navigation: "Screens",
    loading: "Loading…",
    noData: "Nothing to show.",
    refresh: "Refresh",
    live: "Live: updates arrive as they happen",
    connecting: "Connecting to live updates…",
    reconnecting: "Live updates interrupted: reconnecting…",
    open: "Open",
    scrollTable: "Table, scrolls sideways",
    period: "Period",
    periodKind: "Period length",
    month: "Month",
    quarter: "Quarter",
    year: "Year",
    number: "Number",
    scope: "Scope",
    national: "National",
    network: "Whole network",
    region: "Region",
    dealer: "Dealer",
    station: "Station",
    level: "Level",
    state: "State",
    yes: "yes",
    no: "no",
    notFoundPage: "There is no such screen.",
    roles: {
      oem: "Head office",
      region: "Region manager",
      dealer: "Dealer staff",
      dms: "Dealer system",
      survey: "Survey link",
    } as Record<string, string>,
    errors: {
      notFound: "Not found, or not yours to see",
      permissionDenied: "Not permitted",
      failedPrecondition: "Refused",
      invalidArgument: "Invalid input",
      unauthenticated: "Your sign-in is invalid or has expired: sign in again",
      unavailable: "The service is unavailable for now: try again",
      aborted: "Someone changed it meanwhile: refresh and try again",
      deadline: "The service took too long: try again",
      other: "Something went wrong",
    },
  },
  "zh-CN": {
    appName: "售后管理控制台",
    language: "语言",
    languageName: "中文",
    signIn: "登录",
    signOut: "退出",
    token: "访问令牌",
    tokenHelp: "粘贴一个令牌，例如 `aftercare token --role oem` 的输出。令牌只保存在本浏览器标签页中。",
    tokenInvalid: "这不是令牌：令牌由点分隔的三段组成。",
    tokenExpired: "该令牌已过期。",
    signedInAs: "当前身份",
    navigation: "页面",
    loading: "加载中…",
    noData: "暂无数据。",
    refresh: "刷新",
    live: "实时：变化即时更新",
    connecting: "正在连接实时更新…",
    reconnecting: "实时更新中断：正在重新连接…",
    open: "打开",
    scrollTable: "表格，可左右滚动",
    period: "期间",
    periodKind: "期间类型",
    month: "月",
    quarter: "季度",
    year: "年",
    number: "序号",
    scope: "范围",
    national: "全国",
    network: "全网",
    region: "大区",
    dealer: "经销商",
    station: "服务站",
    level: "层级",
    state: "状态",
    yes: "是",
    no: "否",
    notFoundPage: "没有这个页面。",
    roles: {
      oem: "总部",
      region: "大区经理",
      dealer: "经销商员工",
      dms: "经销商系统",
      survey: "问卷链接",
    },
    errors: {
      notFound: "未找到，或您无权查看",
      permissionDenied: "无权操作",
      failedPrecondition: "被拒绝",
      invalidArgument: "输入无效",
      unauthenticated: "登录无效或已过期：请重新登录",
      unavailable: "服务暂时不可用：请重试",
      aborted: "数据已被他人修改：请刷新后重试",
      deadline: "服务响应超时：请重试",
      other: "出现错误",
    },
  },
});
