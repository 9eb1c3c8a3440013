// Tagging in the real app: add a credential in Settings (kept by a real gnome-keyring), tag a release
// after a preview, and push the tag to a smart-HTTP git server on 127.0.0.1 that wants that token.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { startGitServer } from "./git-server.mjs";
import { dismissToasts, freshDatabase, goTo, noDialog, openApp, screenshot, screenshots, startDriver, type, openRelease } from "./harness.mjs";

const TOKEN = "e2e-tok-5b1f93c2";

/** gnome-keyring on this test's session bus, with its keyrings in a throwaway HOME, unlocked. It
 * replaces any keyring daemon on the bus, so it runs only on the private bus `make test` starts. */
function startKeyring() {
  assert.equal(
    process.env.RELMAN_E2E_PRIVATE_BUS,
    "1",
    "run the end-to-end tests with `make test` (or under `dbus-run-session -- env RELMAN_E2E_PRIVATE_BUS=1`): this test replaces the session's keyring daemon",
  );
  const home = mkdtempSync(join(tmpdir(), "relman-keyring-"));
  const started = spawnSync("sh", ["-c", "printf %s relman-e2e | gnome-keyring-daemon --replace --unlock --components=secrets"], {
    env: { ...process.env, HOME: home, XDG_DATA_HOME: join(home, "data") },
    encoding: "utf8",
    timeout: 10_000,
  });
  assert.equal(started.status, 0, `gnome-keyring-daemon started (apt: gnome-keyring): ${started.stderr}`);
}

function remoteTag(bare) {
  const found = spawnSync("git", ["-C", bare, "rev-parse", "-q", "--verify", "refs/tags/v2.5.0"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
}

test("tags: a credential in Settings, a tag after a preview, pushed to a server that wants it", async () => {
  startKeyring();
  const remotes = mkdtempSync(join(tmpdir(), "relman-remote-"));
  const bare = join(remotes, "atlas.git");
  execFileSync("git", ["init", "-q", "--bare", bare]);
  execFileSync("git", ["-C", bare, "config", "http.receivepack", "true"]);
  const server = await startGitServer(remotes, "priya", TOKEN);
  const db = freshDatabase();
  const driver = await startDriver(db, 4524);
  let browser;
  try {
    browser = await openApp(driver);
    await (await browser.$("button=Load sample data")).click();
    await (await browser.$("[data-testid=timeline]")).waitForDisplayed({ timeout: 5000 });
    await noDialog(browser);
    const clone = join(dirname(db), "sample-repositories", "atlas-web");
    execFileSync("git", ["-C", clone, "remote", "add", "origin", server.url("atlas.git")]);

    // Settings: the email git records as the tagger, and the token, which goes to the keyring.
    await goTo(browser, "8", "Settings");
    await type(browser, "#email", "priya@example.com");
    await (await browser.$("button=Save settings")).click();
    await (await browser.$("[data-keyring=available]")).waitForDisplayed({ timeout: 10000 });
    await (await browser.$("[data-action=add-credential]")).click();
    await type(browser, "#credential-host", server.host);
    await type(browser, "#credential-username", "priya");
    await type(browser, "#credential-secret", TOKEN);
    await (await browser.$("button=Add credential")).click();
    await noDialog(browser);
    const listed = await browser.$(`li[data-credential="${server.host}"]`);
    await listed.waitForDisplayed({ timeout: 5000 });
    assert.match(await listed.getText(), /keyring/, "stored in the keyring, not for the session only");
    assert.ok(!(await browser.getPageSource()).includes(TOKEN), "the token is not on the page after entry");
    await (await listed.$("button=Test")).click();
    await (await browser.$("//*[contains(text(), 'accepted the credential')]")).waitForDisplayed({ timeout: 10000 });
    await dismissToasts(browser);
    await browser.pause(300);
    await screenshot(browser, "credentials", screenshots);

    // The release: preview the tag, create it, push it.
    await openRelease(browser, "2.5.0");
    await (await browser.$("[data-action=plan-tag]")).click();
    const name = await browser.$("[data-tag-name]");
    await name.waitForDisplayed({ timeout: 10000 });
    assert.equal(await name.getText(), "v2.5.0", "the preview names the tag from the product's pattern");
    await dismissToasts(browser);
    await browser.pause(300);
    await screenshot(browser, "tag-preview", screenshots);
    await (await browser.$("button=Create tag v2.5.0")).click();
    await noDialog(browser);
    await (await browser.$("[data-tag-state=local]")).waitForDisplayed({ timeout: 5000 });
    assert.equal(remoteTag(bare), null, "created, not pushed yet");
    await (await browser.$("[data-action=push-tag]")).click();
    await (await browser.$("[data-tag-state=pushed]")).waitForDisplayed({ timeout: 15000 });
    const local = execFileSync("git", ["-C", clone, "rev-parse", "refs/tags/v2.5.0"], { encoding: "utf8" }).trim();
    assert.equal(remoteTag(bare), local, "the server has the tag Relman made");
    await browser.pause(300);
    await screenshot(browser, "tag-pushed");
  } finally {
    await browser?.deleteSession();
    driver.stop();
    await server.close();
  }
});

test("tags: with no keyring reachable, Settings says so and keeps a credential for this session only", async () => {
  const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
  process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(tmpdir(), "relman-no-bus")}`;
  const driver = await startDriver(freshDatabase(), 4534);
  process.env.DBUS_SESSION_BUS_ADDRESS = bus;
  let browser;
  try {
    browser = await openApp(driver);
    await goTo(browser, "8", "Settings");
    const warning = await browser.$("[data-keyring=unavailable]");
    await warning.waitForDisplayed({ timeout: 10000 });
    assert.match(await warning.getText(), /No keyring is reachable/, "the keyring's state in plain words");
    await (await browser.$("[data-action=add-credential]")).click();
    assert.equal(await (await browser.$("input[type=checkbox]")).isSelected(), true, "this session only is the offer");
    await type(browser, "#credential-host", "github.com");
    await type(browser, "#credential-secret", TOKEN);
    await (await browser.$("button=Add credential")).click();
    await noDialog(browser);
    const listed = await browser.$('li[data-credential="github.com"]');
    await listed.waitForDisplayed({ timeout: 5000 });
    assert.match(await listed.getText(), /this session only/);
  } finally {
    await browser?.deleteSession();
    driver.stop();
  }
});
