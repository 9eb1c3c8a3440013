// The communication hub in the real app: the checklist shows what git proves (2.5.0's freeze check
// names the commits that landed after its code freeze; a pushed-tag check waits for the tag), and a
// dossier exported through the app verifies with the CLI, offline, with no database.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { cli, dismissToasts, freshDatabase, goTo, noDialog, openApp, openRelease, output, screenshot, screenshots, startDriver } from "./harness.mjs";

/** Exports the open release's dossier in `format` and returns the path the app saved it to. */
async function exportDossier(browser, format) {
  await dismissToasts(browser);
  await (await browser.$("[data-testid=export-dossier]")).click();
  const save = await browser.$(`button[data-dossier=${format}]`);
  await save.waitForDisplayed({ timeout: 5000 });
  if (format === "json") await screenshot(browser, "dossier-export", screenshots);
  await save.click();
  let said = "";
  await browser.waitUntil(
    async () => {
      for (const toast of await browser.$$("[role=status], [role=alert]")) {
        const text = await toast.getText().catch(() => "");
        if (text.includes("Saved the dossier to")) said = text;
      }
      return said !== "";
    },
    { timeout: 15000, timeoutMsg: `the ${format} dossier is saved` },
  );
  const path = /Saved the dossier to (\S+?\.(json|html))/.exec(said)?.[1];
  assert.ok(path, said);
  await noDialog(browser);
  return path;
}

test("the checklist shows its evidence, and a dossier exported from the app verifies with the CLI", async () => {
  const exports = mkdtempSync(join(tmpdir(), "relman-exports-"));
  const driver = await startDriver(freshDatabase(), 4850, { RELMAN_EXPORT_DIR: exports });
  let browser;
  try {
    browser = await openApp(driver);
    await (await browser.$("button=Load sample data")).click();
    await (await browser.$("[data-testid=timeline]")).waitForDisplayed({ timeout: 8000 });

    await openRelease(browser, "2.5.0");
    await (await (await browser.$("section[aria-label=Checklist]")).$("summary*=Pre-release")).click();
    const frozen = await browser.$("section[aria-label=Checklist] li[data-evidence]");
    await browser.waitUntil(async () => /not proven\. 3 commits landed after the code freeze/.test(await frozen.getText()), {
      timeout: 15000,
      timeoutMsg: "the freeze check names what landed after the freeze",
    });
    assert.match(await frozen.getText(), /^No commits after the code freeze:/);
    await dismissToasts(browser);
    await frozen.scrollIntoView({ block: "center" });
    await (await frozen.$("details.seen summary")).click();
    await browser.waitUntil(async () => /revert: perf\(search\): cache facet counts/.test(await frozen.getText()), { timeout: 3000 });
    const checks = await browser.$$("section[aria-label=Checklist] li[data-evidence]");
    assert.equal(checks.length, 2, "the built-in template's two checks");
    assert.match(await checks[1].getText(), /The release tag exists and is pushed: not proven\. There is no tag v2\.5\.0/);
    await dismissToasts(browser);
    await browser.execute((el) => el.scrollIntoView({ block: "center" }), frozen);
    await screenshot(browser, "checklist-evidence", screenshots);

    await openRelease(browser, "2.4.1");
    const json = await exportDossier(browser, "json");
    assert.ok(json.startsWith(exports), `saved where RELMAN_EXPORT_DIR says: ${json}`);
    const verified = spawnSync(cli, ["dossier", "verify", json], { encoding: "utf8" });
    assert.equal(verified.status, 0, `${verified.stdout}${verified.stderr}`);
    assert.match(verified.stdout, /\d+ events: \d+ hashes and \d+ links checked\.\n\d+ facts checked against their events and the SBOM's document\./);
    const doc = JSON.parse(readFileSync(json, "utf8"));
    assert.equal(doc.release.version, "2.4.1");
    assert.deepEqual(doc.compliance.map((c) => c.outcome), ["pass", "pass", "not_applicable", "pass", "not_applicable"]);

    // One fact changed in the file: the CLI names it.
    doc.deployments[0].deployment.finished_at = "2026-01-01T00:00:00Z";
    const altered = join(exports, "altered.json");
    (await import("node:fs")).writeFileSync(altered, JSON.stringify(doc));
    const refused = spawnSync(cli, ["dossier", "verify", altered], { encoding: "utf8" });
    assert.notEqual(refused.status, 0);
    assert.match(refused.stdout, /Does not hold: The deployment to "production" ended "succeeded" at "2026-01-01T00:00:00Z"/);

    const html = readFileSync(await exportDossier(browser, "html"), "utf8");
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(!/<script/i.test(html) && !/src=/.test(html), "nothing runs, nothing is loaded");
    assert.match(html, />Compliance checks<\/h2>/);

    // Settings → Backups: a snapshot now, while the app has the database open.
    await goTo(browser, "8", "Settings");
    await (await browser.$("[data-testid=back-up-now]")).click();
    await browser.waitUntil(
      async () => {
        for (const toast of await browser.$$("[role=status]")) if (/Backed up 13 releases and \d+ audit events to /.test(await toast.getText().catch(() => ""))) return true;
        return false;
      },
      { timeout: 10000, timeoutMsg: "the backup is taken and checked" },
    );
    assert.match(await (await browser.$("ul[aria-label=Snapshots]")).getText(), /yours/);
    await dismissToasts(browser);
    // Only the section (cropped with ImageMagick): the rest of Settings shows this run's temporary paths.
    const section = await browser.$("section.backups");
    await section.scrollIntoView();
    await screenshot(browser, "settings-backups");
    const { x, y, width, height } = await browser.execute((el) => el.getBoundingClientRect().toJSON(), section);
    const box = `${Math.round(width) + 16}x${Math.round(height) + 16}+${Math.max(0, Math.round(x) - 8)}+${Math.max(0, Math.round(y) - 8)}`;
    execFileSync("convert", [join(output, "settings-backups.png"), "-crop", box, "+repage", join(screenshots, "backups.png")]);

    // What an auditor opens: the HTML itself, shown in the window for the README (last: it replaces the app).
    await browser.execute((text) => {
      document.open();
      document.write(text);
      document.close();
      document.getElementById("compliance")?.scrollIntoView();
    }, html);
    await screenshot(browser, "dossier-html", screenshots);
  } finally {
    await browser?.deleteSession().catch(() => {});
    driver.stop();
  }
});
