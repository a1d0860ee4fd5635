import { EventEmitter } from "node:events";
import { expect, it, vi } from "vitest";
import { claimSingleInstance } from "../../../main/single-instance.js";

const fakeApp = (gotLock: boolean) => Object.assign(new EventEmitter(), { requestSingleInstanceLock: vi.fn(() => gotLock), quit: vi.fn() });

it("the first instance keeps running and shows its window when a second one starts", () => {
  const app = fakeApp(true);
  const showFirst = vi.fn();
  expect(claimSingleInstance(app as never, showFirst)).toBe(true);
  expect(app.quit).not.toHaveBeenCalled();
  app.emit("second-instance");
  expect(showFirst).toHaveBeenCalledTimes(1);
});

it("a second instance quits at once", () => {
  const app = fakeApp(false);
  const showFirst = vi.fn();
  expect(claimSingleInstance(app as never, showFirst)).toBe(false);
  expect(app.quit).toHaveBeenCalled();
  expect(showFirst).not.toHaveBeenCalled();
});
