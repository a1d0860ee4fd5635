// The "someone else sets it up" document for Google Cloud: every gcloud command an administrator
// needs, the one permission Streamdrop uses, the prefix condition, and how the key comes back.
import { describe, expect, it } from "vitest";
import { gcloudSetupDocument } from "../../../../main/core/stores/gcs/setup-doc.js";

describe("the gcloud setup document", () => {
  it("creates the bucket, the service account, its role on the bucket and its key", () => {
    const doc = gcloudSetupDocument({ bucket: "click_events", projectId: "acme-data" });
    const email = "streamdrop-click-events@acme-data.iam.gserviceaccount.com";
    expect(doc).toContain(
      "gcloud storage buckets create gs://click_events --project=acme-data \\\n  --location=EU --uniform-bucket-level-access --public-access-prevention",
    );
    expect(doc).toContain("gcloud iam service-accounts create streamdrop-click-events --project=acme-data");
    expect(doc).toContain(
      `gcloud storage buckets add-iam-policy-binding gs://click_events \\\n  --member=serviceAccount:${email} \\\n  --role=roles/storage.objectCreator\n`,
    );
    expect(doc).toContain(`gcloud iam service-accounts keys create streamdrop-key.json \\\n  --iam-account=${email}`);
    expect(doc).toContain("`storage.objects.create`");
    expect(doc).toContain("Storage Legacy Bucket Writer");
    expect(doc).toContain("streamdrop create sink click_events click_events --credentials-file streamdrop-key.json\n");
    expect(doc).not.toContain("--condition");
  });

  it("limits the role to the path prefix with an IAM condition, and says the legacy role cannot be limited", () => {
    const doc = gcloudSetupDocument({ bucket: "events", pathPrefix: "/team-a/clicks/", serviceAccountName: "team-a-export", sinkName: "clicks" });
    expect(doc).toContain(
      `--condition='expression=resource.name.startsWith("projects/_/buckets/events/objects/team-a/clicks/"),title=streamdrop-team-a-clicks'`,
    );
    expect(doc).toContain("IAM conditions cannot limit a legacy role to a prefix");
    expect(doc).toContain("team-a-export@<project-id>.iam.gserviceaccount.com");
    expect(doc).toContain("streamdrop create sink clicks events --credentials-file streamdrop-key.json --path-prefix team-a/clicks");
  });

  it("refuses a bucket or service account name that Google would refuse", () => {
    expect(() => gcloudSetupDocument({ bucket: "Events" })).toThrow(
      'Invalid bucket name "Events": a Cloud Storage bucket name may contain only lowercase letters, digits, dots, hyphens and underscores (found "E").',
    );
    expect(() => gcloudSetupDocument({ bucket: "events", serviceAccountName: "sa" })).toThrow(
      'Invalid service account name "sa": use 6 to 30 lowercase letters, digits and hyphens',
    );
  });
});
