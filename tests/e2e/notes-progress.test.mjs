// A long walk in the real app: a 60,000-commit branch in the sample repository. The Notes view shows
// how many commits it has read, and Cancel stops the walk with a way to read them again; the risks
// suggested from the same range do the same with Stop.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { freshDatabase, goTo, openApp, openReleaseNotes, screenshot, screenshots, startDriver, type } from "./harness.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const git = { env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" }, maxBuffer: 1 << 30 };

/** Adds branch `big` to `repo`: bench/make-repo.py's synthetic history, grown from release/2.5.0. */
function addLongBranch(repo, commits) {
  const base = execFileSync("git", ["-C", repo, "rev-parse", "release/2.5.0"], { ...git, encoding: "utf8" }).trim();
  let stream = execFileSync("python3", [join(root, "bench", "make-repo.py"), String(commits)], git).toString("latin1");
  // Its own branch and tag names, and its first commit on top of the sample's history.
  stream = stream
    .replaceAll("commit refs/heads/main\n", "commit refs/heads/big\n")
    .replaceAll("reset refs/tags/v", "reset refs/tags/big-v")
    .replace("\nM 644 inline", `\nfrom ${base}\nM 644 inline`);
  execFileSync("git", ["-C", repo, "fast-import", "--quiet"], { ...git, input: Buffer.from(stream, "latin1") });
}

test("release notes: a long walk shows progress and can be cancelled", async () => {
  const db = freshDatabase();
  const driver = await startDriver(db, 4490);
  let browser;
  try {
    browser = await openApp(driver);
    await (await browser.$("button=Load sample data")).click();
    await (await browser.$("[data-testid=timeline]")).waitForDisplayed({ timeout: 5000 });
    addLongBranch(join(dirname(db), "sample-repositories", "atlas-web"), 60000);

    await openReleaseNotes(browser, "2.5.0");

    await type(browser, "#notes-from", "release/2.5.0");
    await type(browser, "#notes-to", "big");
    await (await browser.$("button=Regenerate")).click();
    const walking = await browser.$(".walking");
    await browser.waitUntil(async () => /[\d,]+ commits read/.test(await walking.getText().catch(() => "")), {
      timeout: 20000,
      interval: 50,
      timeoutMsg: "the progress line counts the commits read",
    });
    await screenshot(browser, "notes-progress", screenshots);
    await (await walking.$("button=Cancel")).click();
    const stopped = await browser.$("h2=Stopped reading the commits");
    await stopped.waitForDisplayed({ timeout: 20000 });
    assert.ok(await (await browser.$("button=Read them again")).isDisplayed(), "offers to read them again");

    // The release's own range still works after a cancelled walk.
    await (await browser.$("button=Use the release's own range")).click();
    await (await browser.$("section[aria-label='Release notes'] li.entry")).waitForDisplayed({ timeout: 10000 });
    assert.match(await (await browser.$(".range .summary")).getText(), /10 commits/);

    // Risk suggestions over the same long range say how far they are, and Stop stops them. The
    // release is pointed at the long branch behind the app's back (as another door would).
    execFileSync("python3", [
      "-c",
      "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE release SET to_ref = 'big' WHERE version = '2.5.0'\"); c.commit()",
      db,
    ]);
    await goTo(browser, "3", "Risks");
    await (await browser.$("select[aria-label=Release]")).selectByVisibleText("2.5.0 · Lupine");
    const reading = await browser.$(".suggestions .reading");
    await browser.waitUntil(async () => /[\d,]+ commits so far/.test(await reading.getText().catch(() => "")), {
      timeout: 20000,
      interval: 50,
      timeoutMsg: "the suggestions count the commits read",
    });
    await screenshot(browser, "risks-suggestions-progress");
    await (await reading.$("button=Stop")).click();
    await (await (await browser.$(".suggestions")).$("button=Read it again")).waitForDisplayed({ timeout: 20000 });
    assert.match(await (await browser.$(".suggestions")).getText(), /Stopped reading the range/);
  } finally {
    await browser?.deleteSession();
    driver.stop();
  }
});
