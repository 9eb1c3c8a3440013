// The first hour, as a newcomer meets it, from an empty database: the empty app points to a product;
// "Added Acme" points to its first release; its target is typed as "+3w" (a past date first: the form
// warns once), a template is applied, a code freeze is typed as "5d before target" and a feature
// freeze as "next monday", a high risk is added from the release with its scope preset, and the notes
// are exported as Markdown. Careless mistakes on the way (a bad version) clear as soon as they are
// fixed. The CLI reads the same database: every date is what was meant. Screenshots of each step go to
// docs/screenshots/first-hour-*.png.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { cli, dismissToasts, freshDatabase, localDate, noDialog, openApp, screenshot, screenshots, startDriver, type } from "./harness.mjs";

/** A small repository with a tagged first version and conventional commits after it. */
function acmeRepository() {
  const dir = join(mkdtempSync(join(tmpdir(), "relman-acme-")), "acme");
  mkdirSync(dir);
  const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "Ana Lima", GIT_AUTHOR_EMAIL: "ana@example.com", GIT_COMMITTER_NAME: "Ana Lima", GIT_COMMITTER_EMAIL: "ana@example.com" };
  const git = (...args) => execFileSync("git", ["-C", dir, ...args], { env });
  git("init", "-q", "-b", "main");
  const commit = (message) => {
    writeFileSync(join(dir, `${message.length}-${Math.random().toString(36).slice(2)}.txt`), message);
    git("add", "-A");
    git("commit", "-q", "-m", message);
  };
  commit("chore: initial commit");
  git("tag", "v0.9.0");
  commit("feat(billing): invoices as PDF");
  commit("fix(api): paginate the customer list");
  commit("feat!: drop the v1 endpoints\n\nBREAKING CHANGE: clients move to /v2.");
  return dir;
}

function daysFromToday(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  const now = new Date();
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())) / 86_400_000);
}

async function echoOf(browser, id) {
  const echo = await browser.$(`#${id}-echo`);
  await browser.waitUntil(async () => (await echo.getText()) !== "", { timeout: 3000, timeoutMsg: `#${id} echoes a date` });
  return echo.getText();
}

test("a newcomer goes from an empty app to a planned release with notes", async () => {
  const db = freshDatabase();
  const exports = mkdtempSync(join(tmpdir(), "relman-exports-"));
  const repo = acmeRepository();
  const driver = await startDriver(db, 4870, { RELMAN_EXPORT_DIR: exports });
  let browser;
  try {
    browser = await openApp(driver);
    // The empty app says what to do first.
    const start = await browser.$("[data-testid=first-product]");
    await start.waitForDisplayed({ timeout: 8000 });
    await browser.pause(400);
    await screenshot(browser, "first-hour-1-empty", screenshots);
    await start.click();

    // The product form opens at once; its repository is typed (Browse… opens the OS dialog).
    await type(browser, "#name", "Acme");
    assert.ok(await (await browser.$("button=Browse…")).isDisplayed());
    await screenshot(browser, "first-hour-2-product", screenshots);
    await type(browser, "#repository_path", repo);
    await browser.keys("Enter");

    // "Added Acme" offers the next step.
    const next = await browser.$("button=New release");
    await next.waitForDisplayed({ timeout: 5000 });
    assert.match(await (await browser.$("[role=status]")).getText(), /Added Acme\. Next: its first release\./);
    await next.click();

    // The release form, for Acme. A careless version first: its error clears as soon as it is edited.
    await type(browser, "#version", "1.0");
    await (await browser.$("#target_date")).click();
    await browser.keys("+3w");
    assert.match(await echoOf(browser, "target_date"), / · in 3 weeks$/);
    await browser.keys("Enter");
    const versionError = await browser.$("#version-error");
    await versionError.waitForDisplayed({ timeout: 5000 });
    await (await browser.$("#version")).click();
    await browser.keys(".0");
    await browser.waitUntil(async () => !(await versionError.isExisting()), { timeout: 3000, timeoutMsg: "the version's error clears once edited" });

    // A target in the past warns once; fixed, the warning goes.
    await type(browser, "#target_date", "2026-01-05");
    await (await browser.$("button=Create release")).click();
    const warned = await browser.$("[data-warnings]");
    await warned.waitForDisplayed({ timeout: 3000 });
    assert.match(await warned.getText(), /The target 2026-01-05 is \d+ days in the past/);
    assert.ok(await (await browser.$("button=Create anyway")).isDisplayed());
    await screenshot(browser, "first-hour-3-release", screenshots);
    await type(browser, "#target_date", "+3w");
    await browser.waitUntil(async () => !(await warned.isExisting()), { timeout: 3000, timeoutMsg: "a valid target takes the warning away" });
    await (await browser.$("button=Create release")).click();
    await noDialog(browser);
    await (await browser.$("[data-testid=release-detail]")).waitForDisplayed({ timeout: 5000 });

    // Milestones typed relative to the target and to today.
    const milestones = await browser.$("section[aria-label=Milestones]");
    for (const [kind, typed] of [["code_freeze", "5d before target"], ["feature_freeze", "next monday"]]) {
      await (await milestones.$("button*=Add")).click();
      await (await milestones.$("select[aria-label='Milestone kind']")).selectByAttribute("value", kind);
      await type(browser, "#new-milestone-date", typed);
      const echo = await echoOf(browser, "new-milestone-date");
      if (kind === "code_freeze") assert.match(echo, / · 5 days before the target$/);
      await (await milestones.$("button[type=submit]")).click();
      await browser.waitUntil(async () => !(await (await browser.$("#new-milestone-date")).isExisting()), { timeout: 5000 });
    }

    // By mouse: the release candidate picked on the calendar (today), the field showing what was picked.
    await (await milestones.$("button*=Add")).click();
    await (await milestones.$("select[aria-label='Milestone kind']")).selectByAttribute("value", "rc");
    await (await milestones.$("button[aria-label^='Pick Planned date']")).click();
    const day = await browser.$(".calendar-popover [data-today]");
    await day.waitForDisplayed({ timeout: 3000 });
    await screenshot(browser, "first-hour-calendar", screenshots);
    await day.click();
    assert.equal(await (await browser.$("#new-milestone-date")).getValue(), localDate(0));
    await (await milestones.$("button[type=submit]")).click();
    await browser.waitUntil(async () => !(await (await browser.$("#new-milestone-date")).isExisting()), { timeout: 5000 });

    // A template, then a high risk from the release itself: its scope is this release.
    await (await browser.$("button=Apply template")).click();
    await (await browser.$("[data-testid=deploy-mode]")).waitForDisplayed({ timeout: 5000 });
    await (await browser.$("[data-testid=add-release-risk]")).click();
    await type(browser, "#risk-title", "The PDF library cannot render Japanese invoices");
    const scope = await browser.$("#risk-release");
    await browser.waitUntil(async () => (await scope.isEnabled()) && (await scope.getValue()) !== "", { timeout: 5000 });
    assert.match(await (await scope.$("option:checked")).getText(), /^1\.0\.0$/, "the risk's scope is the release");
    await (await browser.$("#risk-likelihood")).selectByAttribute("value", "4");
    await (await browser.$("#risk-impact")).selectByAttribute("value", "5");
    await (await browser.$("[role=dialog] button[type=submit]")).scrollIntoView();
    await (await browser.$("[role=dialog] button[type=submit]")).click();
    await noDialog(browser);
    const risks = await browser.$("[data-testid=release-risks]");
    await browser.waitUntil(async () => /1 high/.test(await risks.getText()), { timeout: 5000, timeoutMsg: "the release shows its high risk" });
    assert.match(await risks.getText(), /20 The PDF library cannot render Japanese invoices/);
    // The gates see it at once: the risk rule now fails.
    await browser.waitUntil(async () => /✗ High risks mitigated/.test(await (await browser.$(".gates [data-gate='Ready to ship']")).getText()), {
      timeout: 5000,
      timeoutMsg: "the checklist's gate counts the new risk",
    });
    // The checklist reloads behind the new risk; let it settle before the screenshot.
    await browser.pause(800);
    await browser.waitUntil(
      async () => {
        await dismissToasts(browser);
        return (await browser.$$("button[aria-label=Dismiss]").length) === 0;
      },
      { timeout: 5000, timeoutMsg: "the toasts close" },
    );
    await browser.execute(() => document.querySelector("section[aria-label=Milestones]")?.scrollIntoView());
    await screenshot(browser, "first-hour-4-detail", screenshots);

    // The notes, exported as Markdown.
    await browser.keys("r");
    await (await browser.$("section[aria-label='Release notes'] li.entry")).waitForDisplayed({ timeout: 10000 });
    await screenshot(browser, "first-hour-5-notes", screenshots);
    await (await browser.$("#export-format")).selectByAttribute("value", "md");
    await (await browser.$("button*=Export")).click();
    let saved = "";
    await browser.waitUntil(
      async () => {
        for (const toast of await browser.$$("[role=status]")) saved = /Exported the notes to (\S+\.md)\./.exec(await toast.getText().catch(() => ""))?.[1] ?? saved;
        return saved !== "";
      },
      { timeout: 10000, timeoutMsg: "the notes are exported" },
    );
    const notes = readFileSync(saved, "utf8");
    assert.match(notes, /^## \[1\.0\.0\]/);
    assert.match(notes, /invoices as PDF/);
  } finally {
    await browser?.deleteSession().catch(() => {});
    driver.stop();
  }

  // The CLI on the same database: every date is what was typed.
  const json = (...args) => {
    const run = spawnSync(cli, ["--db", db, ...args, "--json"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout);
  };
  const shown = json("release", "show", "1.0.0", "--product", "Acme");
  const target = shown.release.target_date;
  assert.equal(target, localDate(21), "+3w");
  const list = json("milestone", "list", "--product", "Acme", "--release", "1.0.0");
  const on = (kind) => list.find((m) => m.kind === kind)?.planned_start;
  assert.equal(daysFromToday(target) - daysFromToday(on("code_freeze")), 5, "5d before target");
  assert.equal(on("rc"), localDate(0), "picked on the calendar");
  const monday = on("feature_freeze");
  assert.equal(new Date(`${monday}T12:00:00`).getDay(), 1, `next monday is a Monday: ${monday}`);
  assert.ok(daysFromToday(monday) >= 1 && daysFromToday(monday) <= 7, `next monday is within the week ahead: ${monday}`);
  const risks = json("risk", "list", "--product", "Acme");
  assert.equal(risks.length, 1);
  assert.equal(risks[0].release_version, "1.0.0");
  assert.equal(risks[0].score, 20);
});
