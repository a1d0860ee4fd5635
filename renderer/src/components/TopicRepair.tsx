// The repair of a stream whose topic was deleted, where that shows (an exporter's card, the
// stream in Streams): create the topic again (its exporters then export what is produced to it),
// or delete the exporter, which the card offers beside it.
import { useState } from "react";
import { useStore } from "../store";
import { requestOf } from "../store/manage-slice";
import { ActionButton, ErrorMessage, Field, Success } from "./ui";

export function TopicRepair({ stream, topic, partitions: known }: { stream: string; topic: string; partitions?: number }) {
  const { recreateTopic } = useStore();
  const recreated = useStore((state) => requestOf<{ topic: string }>(state, `recreate:${stream}`));
  const [open, setOpen] = useState(false);
  const [partitions, setPartitions] = useState(known && known > 0 ? known : 1);
  return (
    <div className="repairs">
      <div className="actions" role="group" aria-label={`Repairs for topic ${topic}`}>
        <button type="button" className={`button ${open ? "primary" : "secondary"}`} aria-expanded={open} onClick={() => setOpen(!open)}>
          Re-create the topic
        </button>
      </div>
      {open && (
        <section className="form" role="form" aria-label={`Re-create topic ${topic}`}>
          <p className="muted">
            Topic {topic} is created again, empty; the exporters reading stream {stream} then export what producers write to it. Events of the deleted topic
            that were not exported are gone with it.
          </p>
          <Field label="Partitions" hint={known ? `It had ${known} when last read.` : undefined}>
            {(props) => (
              <input {...props} type="number" min={1} max={10_000} value={partitions} onChange={(event) => setPartitions(Number(event.target.value))} />
            )}
          </Field>
          <div className="actions">
            <ActionButton busy={recreated.state === "running"} busyLabel="Creating the topic…" onClick={() => void recreateTopic(stream, partitions)}>
              Create topic {topic}
            </ActionButton>
          </div>
          {recreated.state === "done" && <Success>Topic {recreated.value.topic} exists again.</Success>}
          {recreated.state === "failed" && <ErrorMessage>{recreated.message}</ErrorMessage>}
        </section>
      )}
    </div>
  );
}
