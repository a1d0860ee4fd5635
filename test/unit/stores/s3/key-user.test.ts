// Whose key a sink is given, by the ARN STS answers: the user's name is the ARN's last segment,
// whatever IAM path the user has; roles, root and other users are not that user.
import { describe, expect, it } from "vitest";
import { isArnOfUser } from "../../../../main/core/stores/s3/key-user.js";

describe("isArnOfUser", () => {
  it.each([
    ["arn:aws:iam::123456789012:user/streamdrop-events", true],
    ["arn:aws:iam::123456789012:user/teams/data/streamdrop-events", true],
    ["arn:aws-cn:iam::123456789012:user/streamdrop-events", true],
    ["arn:aws:iam::123456789012:user/streamdrop-events-2", false],
    ["arn:aws:iam::123456789012:user/streamdrop-events/other", false],
    ["arn:aws:iam::123456789012:user/x-streamdrop-events", false],
    ["arn:aws:sts::123456789012:assumed-role/streamdrop-events/session", false],
    ["arn:aws:iam::123456789012:root", false],
    // moto's answer for a key it does not know
    ["arn:aws:sts::123456789012:user/moto", false],
  ])("%s is IAM user streamdrop-events's: %s", (arn, expected) => {
    expect(isArnOfUser(arn, "streamdrop-events")).toBe(expected);
  });
});
