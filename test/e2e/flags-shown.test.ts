// The harness's own guard, proven: any text the window shows that holds a command-line option
// (`--name`, the CLI's or another tool's, as Node's TLS errors name `--use-system-ca`) fails the
// run when the harness closes, wherever it appears; a setup document for another tool is left alone.
import { expect, it } from "vitest";
import { testCore } from "../support/core.js";
import { openRenderer } from "../support/renderer-harness.js";

const show = (harness: Awaited<ReturnType<typeof openRenderer>>, html: string) =>
  harness.page.evaluate((markup) => {
    const holder = document.createElement("div");
    holder.innerHTML = markup;
    document.body.append(holder);
  }, html);

it("fails on an option named in any text shown, in labels and inline code too, and leaves documents for other tools alone", { timeout: 60_000 }, async () => {
  const quiet = await openRenderer(testCore());
  await quiet.page.getByRole("heading").first().waitFor();
  await show(quiet, "<pre>aws iam create-user --user-name writer</pre><p>Caught up -- nothing left.</p>");
  await expect(quiet.close()).resolves.toBeUndefined();

  const noisy = await openRenderer(testCore());
  await noisy.page.getByRole("heading").first().waitFor();
  await show(noisy, '<p class="muted">unable to verify the first certificate; try running Node.js with --use-system-ca</p>');
  await show(noisy, '<button aria-label="Run with --dry-run">Review</button><p>Use <code>--fields</code> on a server.</p>');
  await noisy.page.waitForTimeout(100);
  const closed = noisy.close();
  await expect(closed).rejects.toThrow(/--use-system-ca/);
  await expect(closed).rejects.toThrow(/aria-label: Run with --dry-run/);
  await expect(closed).rejects.toThrow(/"--fields"/);
});
