// Drives the real Relman binary: tauri-driver (wrapping WebKitWebDriver) + webdriverio.
// Run under a display and a session bus: `xvfb-run -a dbus-run-session -- node --test tests/e2e/`
// (`make test` does this). The binary must be built with the bundled UI: `tauri build --debug --no-bundle`.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, "target");
export const application = process.env.RELMAN_APP ?? join(targetDir, "debug", "relman-app");
/** The CLI, built beside the app (`make test` builds both). */
export const cli = process.env.RELMAN_CLI ?? join(targetDir, "debug", "relman");
export const screenshots = join(root, "docs", "screenshots");
export const output = join(root, "tests", "e2e", "output");
mkdirSync(output, { recursive: true });

const driverBinary = process.env.TAURI_DRIVER ?? join(homedir(), ".cargo", "bin", "tauri-driver");

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolvePort, reject) => {
    const attempt = () => {
      const socket = createConnection({ host: "127.0.0.1", port }, () => {
        socket.end();
        resolvePort();
      });
      socket.on("error", () => {
        if (Date.now() > deadline) reject(new Error(`tauri-driver did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** A fresh folder with an empty database path for one test. */
export function freshDatabase() {
  const dir = mkdtempSync(join(tmpdir(), "relman-e2e-"));
  return join(dir, "relman.db");
}

/** Starts tauri-driver with RELMAN_DB pointing at `db`; every app session it opens uses that file. */
export async function startDriver(db, port = 4444, env = {}) {
  const driver = spawn(driverBinary, ["--port", String(port), "--native-port", String(port + 1)], {
    // Under Xvfb there is no GPU: without these WebKitGTK paints nothing into screenshots.
    // The tests play Priya Raman, the sample's release manager: never the machine's own git identity,
    // which the app would otherwise fall back to (and which the screenshots would show).
    env: { ...process.env, RELMAN_DB: db, RELMAN_USER: "Priya Raman <priya@example.com>", ...env },
    stdio: ["ignore", "inherit", "inherit"],
    // Its own process group, so stopping it also stops the WebKitWebDriver it started.
    detached: true,
  });
  const exited = new Promise((_, reject) => driver.once("exit", (code) => reject(new Error(`tauri-driver exited with ${code}`))));
  await Promise.race([waitForPort(port, 20_000), exited]);
  return {
    port,
    stop: () => {
      try {
        process.kill(-driver.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    },
  };
}

/** Starts the app and waits until the Relman window shows its navigation, or deploy mode (which a
 * deployment still running when Relman starts opens straight away). */
export async function openApp(driver) {
  const browser = await remote({
    hostname: "127.0.0.1",
    port: driver.port,
    logLevel: "warn",
    // Classic WebDriver: WebKitWebDriver does not speak BiDi, which webdriverio 9 would ask for.
    capabilities: { "tauri:options": { application }, "wdio:enforceWebDriverClassic": true },
  });
  try {
    await browser.waitUntil(
      async () => (await browser.$$("nav[aria-label=Views], section[aria-label='Deploy mode']").length) > 0,
      { timeout: 20_000, timeoutMsg: "the Relman window did not show" },
    );
  } catch (error) {
    await browser.deleteSession().catch(() => {});
    throw error;
  }
  return browser;
}

export async function screenshot(browser, name, folder = output) {
  await browser.saveScreenshot(join(folder, `${name}.png`));
}

/** Sets a text field the way a person does: focus, clear, type. */
export async function type(browser, selector, text) {
  const field = await browser.$(selector);
  await field.waitForDisplayed({ timeout: 5000 });
  await field.click();
  await field.clearValue();
  await field.setValue(text);
}

/** Waits until no dialog is open, so that a key press reaches the view and not a closing dialog. */
export async function noDialog(browser) {
  await browser.waitUntil(async () => (await browser.$$("[role=dialog], [role=alertdialog]").length) === 0, {
    timeout: 5000,
    timeoutMsg: "a dialog stayed open",
  });
}

/** Presses a view's shortcut and waits for its heading. */
export async function goTo(browser, key, heading) {
  await noDialog(browser);
  await browser.keys(key);
  await browser.waitUntil(async () => (await (await browser.$("main h1")).getText()) === heading, {
    timeout: 5000,
    timeoutMsg: `key ${key} did not open ${heading}`,
  });
}

/** From anywhere: the Releases view and the release's detail, waiting until the detail is that release's
 * (it remounts its sections per release, so a click too early lands on the previous one's). */
export async function openRelease(browser, version) {
  await goTo(browser, "2", "Releases");
  const row = await browser.$(`tr[data-version='${version}'] td`);
  await row.waitForDisplayed({ timeout: 5000 });
  await row.click();
  await browser.waitUntil(async () => (await (await browser.$("[data-testid=release-detail] h2")).getText().catch(() => "")).startsWith(version), {
    timeout: 5000,
    timeoutMsg: `${version}'s detail opens`,
  });
  await detailSettled(browser);
}

/** Waits until every section of the open release's detail has loaded (none is aria-busy), so that a
 * click is not moved off its button by a section above it growing. */
export async function detailSettled(browser) {
  await browser.waitUntil(async () => (await browser.$$("[data-testid=release-detail] [aria-busy=true]").length) === 0, {
    timeout: 8000,
    timeoutMsg: "a section of the release's detail is still loading",
  });
}

/** From anywhere: the Releases view, the release's detail, then its notes (key R), with entries shown. */
export async function openReleaseNotes(browser, version) {
  await goTo(browser, "2", "Releases");
  const row = await browser.$(`tr[data-version='${version}'] td`);
  await row.waitForDisplayed({ timeout: 5000 });
  await row.click();
  await (await browser.$("[data-testid=release-detail]")).waitForDisplayed({ timeout: 5000 });
  await noDialog(browser);
  await browser.keys("r");
  await (await browser.$("section[aria-label='Release notes']")).waitForDisplayed({ timeout: 10000 });
  await (await browser.$("section[aria-label='Release notes'] li.entry")).waitForDisplayed({ timeout: 10000 });
}

/** Sets a date input the way its picker would: the value, then the input event Svelte listens to. */
export async function setDate(browser, selector, isoDate) {
  const field = await browser.$(selector);
  await field.waitForDisplayed({ timeout: 5000 });
  await browser.execute(
    (el, value) => {
      el.value = value;
      el.dispatchEvent(new Event("input", { bubbles: true }));
    },
    field,
    isoDate,
  );
}

/** Types a local "YYYY-MM-DDTHH:MM" into a date-and-time field (its date part, then its time part). */
export async function setDateTime(browser, id, value) {
  await type(browser, `#${id}`, value.slice(0, 10));
  await type(browser, `#${id}-time`, value.slice(11, 16));
}

/** A local calendar date `days` from today, as YYYY-MM-DD (the app uses the local calendar too). */
export function localDate(days = 0) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Closes every toast, so a screenshot shows the view rather than the confirmations stacked over it. */
export async function dismissToasts(browser) {
  // A toast may close by itself between being found and being clicked.
  for (const close of await browser.$$("button[aria-label=Dismiss]")) await close.click().catch(() => {});
}

/** axe-core's source, sent as a WebDriver script body (the app's CSP rightly forbids eval). */
const axeSource = readFileSync(join(root, "node_modules", "axe-core", "axe.min.js"), "utf8");

/** The serious and critical accessibility violations axe-core finds in the window now, as lines
 * ("color-contrast (serious): Elements must meet minimum color contrast ratio thresholds — .warn"). */
export async function axeViolations(browser) {
  await browser.execute(axeSource);
  const found = await browser.executeAsync((done) => {
    // @ts-ignore: injected above
    window.axe
      .run(document, { resultTypes: ["violations"] })
      .then((r) => done(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) }))))
      .catch((e) => done([{ id: "axe-error", impact: "critical", help: String(e), nodes: [] }]));
  });
  return found
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.join(", ")}`);
}

/** The release manager's SSH signing key: made by ssh-keygen, listed for `principal` in an allowed-signers
 * file that the sample's Atlas clone (beside `db`) names in git's configuration, and set in Settings with
 * the tagger's email. Returns the key's path and its fingerprint as `ssh-keygen -l` prints it. */
export async function useSigningKey(browser, db, principal = "priya@example.com") {
  const keys = mkdtempSync(join(tmpdir(), "relman-keys-"));
  const key = join(keys, "release-key");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "priya@laptop", "-f", key]);
  const clone = join(dirname(db), "sample-repositories", "atlas-web");
  const allowed = join(keys, "allowed_signers");
  writeFileSync(allowed, `${principal} ${readFileSync(`${key}.pub`, "utf8")}`);
  execFileSync("git", ["-C", clone, "config", "gpg.ssh.allowedSignersFile", allowed]);
  await goTo(browser, "8", "Settings");
  await type(browser, "#email", principal);
  await (await browser.$("button=Save settings")).click();
  await type(browser, "#signing-key", key);
  await (await (await browser.$("#signing-key")).parentElement()).$("button=Use").then((b) => b.click());
  await (await browser.$("//*[contains(text(), 'Release tags are signed with')]")).waitForDisplayed({ timeout: 5000 });
  await dismissToasts(browser);
  const fingerprint = execFileSync("ssh-keygen", ["-lf", `${key}.pub`], { encoding: "utf8" }).split(/\s+/)[1];
  return { key, clone, fingerprint };
}

/** In the open release's Tag section: the tag previewed, then created signed with the Settings' key. */
export async function createSignedTag(browser, tag) {
  await (await browser.$("[data-action=plan-tag]")).click();
  await (await browser.$("[data-tag-name]")).waitForDisplayed({ timeout: 10000 });
  if (!(await (await browser.$("[data-testid=sign-tag]")).isSelected())) throw new Error("signing is not offered: no key is set");
  await (await browser.$(`button=Create tag ${tag}`)).click();
  await noDialog(browser);
  const signature = await browser.$("[data-testid=tag-signature]");
  await signature.waitForDisplayed({ timeout: 10000 });
  return signature;
}
