// Security checks in the real app: the sample's 2.5.0 brings in a vulnerable crate with its dependency
// bump. Its detail scans the lock files against the sample's advisory folder, offline, names the
// finding as introduced by the release with its fix, and takes an acceptance only with a reason.
// Settings shows the folder the checks read.
import assert from "node:assert/strict";
import { test } from "node:test";
import { axeViolations, dismissToasts, freshDatabase, goTo, openApp, openRelease, screenshot, screenshots, startDriver, type } from "./harness.mjs";

test("a release's dependencies are scanned and a finding accepted with a reason", async () => {
  const driver = await startDriver(freshDatabase(), 4830);
  let browser;
  try {
    browser = await openApp(driver);
    await (await browser.$("button=Load sample data")).click();
    await (await browser.$("[data-testid=timeline]")).waitForDisplayed({ timeout: 8000 });
    await openRelease(browser, "2.5.0");
    const section = await browser.$("[data-testid=release-security]");
    await (await section.$("[data-testid=security-empty]")).waitForDisplayed({ timeout: 5000 });

    await (await section.$("button[data-action=scan-dependencies]")).click();
    const verdict = await section.$("[data-testid=security-verdict]");
    await verdict.waitForDisplayed({ timeout: 10000 });
    assert.equal(await verdict.getText(), "2 to look at");
    const finding = await section.$("li[data-finding='SAMPLE-2026-0001:crates.io:orders-pdf@0.3.1']");
    const text = await finding.getText();
    assert.match(text, /High\s+orders-pdf 0\.3\.1\s+Introduced by this release/);
    assert.match(text, /Fixed in 0\.3\.2/);
    assert.match(await (await section.$("li[data-finding^='RUSTSEC-2024-0375']")).getText(), /Unmaintained\s+atty 0\.2\.14/);

    // An acceptance needs a reason; with one, it is recorded and named on the finding.
    await (await finding.$("button[data-action=accept-finding]")).click();
    const accept = await finding.$("button=Accept");
    assert.equal(await accept.isEnabled(), false, "no reason, no acceptance");
    // The findings and the open acceptance, in both themes, as axe sees them.
    for (const theme of ["light", "dark"]) {
      await browser.execute((t) => (document.documentElement.dataset.theme = t), theme);
      assert.deepEqual(await axeViolations(browser), [], `${theme} theme`);
    }
    await browser.execute(() => (document.documentElement.dataset.theme = "light"));
    await type(browser, "[data-finding^='SAMPLE-2026-0001'] textarea", "Attachments are switched off in 2.5.0; 0.3.2 lands in 2.5.1");
    await accept.click();
    await (await finding.$("[data-accepted]")).waitForDisplayed({ timeout: 5000 });
    assert.match(await (await finding.$("[data-accepted]")).getText(), /Accepted by .+: Attachments are switched off/);
    await browser.waitUntil(async () => (await verdict.getText()) === "1 to look at, 1 accepted", { timeout: 5000 });
    await dismissToasts(browser);
    await browser.execute((el) => el.scrollIntoView({ block: "start" }), section);
    await screenshot(browser, "security", screenshots);

    await goTo(browser, "8", "Settings");
    const status = await browser.$("[data-testid=advisory-status]");
    await status.waitForDisplayed({ timeout: 5000 });
    assert.match(await status.getText(), /^2 advisories for crates\.io, npm and Go packages/);
  } finally {
    await browser?.deleteSession().catch(() => {});
    driver.stop();
  }
});
