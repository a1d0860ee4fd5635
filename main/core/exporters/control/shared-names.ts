// Whether two exporters' files could take the same names. A batch file's name holds its topic,
// cut time, partitions and counter, but not its exporter: two exporters of one topic writing to
// the same folder of the same bucket would cut files of the same name in the same second. On S3
// one would replace the other's; on Cloud Storage and Azure (create-only) the second would be
// taken as already stored. Either way events are lost, so such a pair is refused when an exporter
// is created or its folders change (docs/EXACTLY-ONCE.md, "Names never shared").
import type { BatchExporterRecord, SinkRecord, StreamRecord } from "../../config/schema.js";
import { badSetting } from "../../errors.js";
import { isWithinPrefix } from "../../sinks/path-prefix.js";
import { pathTokens, storedTemplate, type PathToken, type TemplateSegment } from "../../../../common/path-template.js";

/** Where an exporter's files land, as far as their names go. */
export interface NameSpace {
  /** The bucket, as its store, endpoint and name identify it. */
  bucket: string;
  topic: string;
  prefix: string | undefined;
  template: string | undefined;
}

export const nameSpaceOf = (
  exporter: Pick<BatchExporterRecord, "pathPrefix" | "pathTemplate">,
  stream: Pick<StreamRecord, "topic">,
  sink: Pick<SinkRecord, "type" | "bucket" | "endpoint">,
): NameSpace => ({
  bucket: `${sink.type} ${sink.endpoint ?? ""} ${sink.bucket}`,
  topic: stream.topic,
  prefix: exporter.pathPrefix,
  template: exporter.pathTemplate,
});

/**
 * Whether names can meet: the same topic in the same bucket, under the same prefix, or under a
 * prefix inside another's whose folders (a path template) could render as the rest of it. Without
 * folders an exporter's names sit right under its prefix, out of reach of any prefix below it.
 */
export function mayShareNames(a: NameSpace, b: NameSpace): boolean {
  if (a.bucket !== b.bucket || a.topic !== b.topic) return false;
  if (a.prefix === b.prefix) return true;
  if (isWithinPrefix(b.prefix, a.prefix)) return foldersMayReach(a, b.prefix!);
  if (isWithinPrefix(a.prefix, b.prefix)) return foldersMayReach(b, a.prefix!);
  return false;
}

/** Whether `outer`'s folders could render as the folders from its prefix down to `inner`. */
function foldersMayReach(outer: NameSpace, inner: string): boolean {
  if (!outer.template) return false;
  const rest = (outer.prefix ? inner.slice(outer.prefix.length + 1) : inner).split("/");
  const folders = storedTemplate(outer.template).segments;
  return rest.length <= folders.length && rest.every((folder, i) => segmentPattern(folders[i]!, outer.topic).test(folder));
}

/** What one folder of a template can render as, whatever the time. */
function segmentPattern(segment: TemplateSegment, topic: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const token = (name: PathToken) => {
    const spec: { type: string; digits?: number } = pathTokens[name];
    return name === "topic" ? escape(topic) : spec.type === "date" ? "\\d{4}-\\d{2}-\\d{2}" : `\\d{${spec.digits}}`;
  };
  return new RegExp(`^${segment.parts.map((part) => ("token" in part ? token(part.token) : escape(part.text))).join("")}$`);
}

/** Refuses `candidate` when one of `others` could write files of the same names. */
export function checkNamesFree(candidate: NameSpace, others: Array<{ name: string; space: NameSpace }>): void {
  const clash = others.find((other) => mayShareNames(candidate, other.space));
  if (!clash) return;
  const where = (prefix: string | undefined) => (prefix ? `under ${prefix}/` : "at the bucket's root");
  throw badSetting(
    "path-prefix",
    `Batch exporter ${clash.name} already writes files of topic ${candidate.topic} ${where(clash.space.prefix)}${clash.space.template ? ` in folders ${clash.space.template}` : ""} in the same bucket, and file names do not say which exporter wrote them: the two would write files of the same name, and one would replace or shut out the other's. Give this exporter a path prefix beside that one's, not the same one${clash.space.template || candidate.template ? " and not inside the other's folders" : ""}.`,
  );
}
