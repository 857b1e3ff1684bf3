// The console's shell: sign-in, the caller's navigation, the language
// switch, and the screen the path names (/console/<screen>).
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { common, locales, preferredLocale, type Locale } from "../i18n/common";
import { clientsFor } from "./clients";
import { ConsoleContext, LocaleContext, useTexts } from "./context";
import { screensFor, titleOf, type Screen } from "./screens";
import { forget, keep, readToken, restore, type Session } from "./session";
import { Choice } from "./ui";

const LOCALE_KEY = "aftercare.console.locale";
const BASE = "/console/";

function initialLocale(): Locale {
  const kept = localStorage.getItem(LOCALE_KEY);
  return kept && (locales as string[]).includes(kept) ? (kept as Locale) : preferredLocale(navigator.languages);
}

/** The path's screen name and what follows it: /console/repair-orders/RO-1 → ["repair-orders", "RO-1"]. */
function screenPath(path: string): [string, string] {
  if (!path.startsWith(BASE)) return ["", ""];
  const [name, ...rest] = path.slice(BASE.length).split("/");
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  return [name, rest.map(decode).join("/")];
}

export function App() {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [session, setSession] = useState<Session | undefined>(restore);
  const [path, setPath] = useState(location.pathname);

  useEffect(() => {
    document.documentElement.lang = locale;
    localStorage.setItem(LOCALE_KEY, locale);
  }, [locale]);
  useEffect(() => {
    const moved = () => setPath(location.pathname);
    addEventListener("popstate", moved);
    return () => removeEventListener("popstate", moved);
  }, []);

  const go = (to: string) => {
    history.pushState(null, "", to);
    setPath(to);
  };
  const signIn = (s: Session) => {
    keep(s);
    setSession(s);
  };
  const signOut = () => {
    forget();
    setSession(undefined);
  };

  return (
    <LocaleContext.Provider value={locale}>
      {session ? (
        <SignedIn session={session} path={path} go={go} signOut={signOut} locale={locale} setLocale={setLocale} />
      ) : (
        <>
          <header class="bar">
            <LanguageSwitch locale={locale} setLocale={setLocale} />
          </header>
          <SignIn onSignIn={signIn} />
        </>
      )}
    </LocaleContext.Provider>
  );
}

function LanguageSwitch({ locale, setLocale }: { locale: Locale; setLocale: (l: Locale) => void }) {
  const t = useTexts(common);
  const names = { en: common.en.languageName, "zh-CN": common["zh-CN"].languageName };
  return (
    <Choice label={t.language} value={locale} options={locales.map((l) => [l, names[l]] as const)} onChange={setLocale} />
  );
}

function SignIn({ onSignIn }: { onSignIn: (s: Session) => void }) {
  const t = useTexts(common);
  const [token, setToken] = useState("");
  const [problem, setProblem] = useState("");
  useEffect(() => {
    document.title = `${t.signIn} · ${t.appName}`;
  }, [t]);
  const submit = (e: Event) => {
    e.preventDefault();
    const read = readToken(token);
    if (read === "invalid") setProblem(t.tokenInvalid);
    else if (read === "expired") setProblem(t.tokenExpired);
    else onSignIn(read);
  };
  return (
    <main class="sign-in">
      <h1>{t.appName}</h1>
      <form onSubmit={submit}>
        <label for="token">{t.token}</label>
        <textarea
          id="token"
          rows={5}
          spellcheck={false}
          autocomplete="off"
          aria-describedby="token-help"
          value={token}
          onInput={(e) => setToken((e.target as HTMLTextAreaElement).value)}
        />
        <p id="token-help" class="help">
          {t.tokenHelp}
        </p>
        {problem && (
          <p class="failure" role="alert">
            {problem}
          </p>
        )}
        <button type="submit">{t.signIn}</button>
      </form>
    </main>
  );
}

function SignedIn(props: {
  session: Session;
  path: string;
  go: (to: string) => void;
  signOut: () => void;
  locale: Locale;
  setLocale: (l: Locale) => void;
}) {
  const { session, path, go, locale } = props;
  const t = useTexts(common);
  const clients = useMemo(() => clientsFor(session.token), [session.token]);
  const mine = screensFor(session.role);
  const [name, rest] = screenPath(path);
  const screen: Screen | undefined = mine.find((s) => s.path === name);

  // /console/ opens the role's first screen.
  useEffect(() => {
    if (!name && mine.length) {
      history.replaceState(null, "", BASE + mine[0].path);
      go(BASE + mine[0].path);
    }
  }, [name]);
  const title = screen ? titleOf(screen, session.role, locale) : t.notFoundPage;
  useEffect(() => {
    document.title = `${title} · ${t.appName}`;
  }, [title, t]);
  // After a move, the screen's heading takes the focus (a reader hears where it is).
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else heading.current?.focus();
  }, [name]);

  const scope = [session.regionId, session.dealerId, ...session.stationIds].filter(Boolean).join(" · ");
  return (
    <ConsoleContext.Provider value={{ session, clients, locale }}>
      <header class="bar">
        <span class="brand">{t.appName}</span>
        <span class="who">
          {t.signedInAs}: <strong>{t.roles[session.role] ?? session.role}</strong>
          {scope && ` (${scope})`}
        </span>
        <LanguageSwitch locale={locale} setLocale={props.setLocale} />
        <button type="button" onClick={props.signOut}>
          {t.signOut}
        </button>
      </header>
      <nav aria-label={t.navigation}>
        <ul>
          {mine.map((s) => (
            <li key={s.path}>
              <a
                href={BASE + s.path}
                aria-current={s === screen ? "page" : undefined}
                onClick={(e) => {
                  if (e.ctrlKey || e.metaKey || e.shiftKey) return;
                  e.preventDefault();
                  go(BASE + s.path);
                }}
              >
                {titleOf(s, session.role, locale)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {screen && <screen.View key={screen.path} rest={rest} go={(to) => go(BASE + to)} />}
      </main>
    </ConsoleContext.Provider>
  );
}
