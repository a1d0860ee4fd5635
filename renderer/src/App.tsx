import { useEffect } from "react";
import { useAppStore } from "./store";

export function App() {
  const info = useAppStore((state) => state.info);
  const loadInfo = useAppStore((state) => state.loadInfo);
  useEffect(() => void loadInfo(), [loadInfo]);

  return (
    <main className="app">
      <header className="app-header">
        <h1>Streamdrop</h1>
        <p>Kafka topics to S3 and Google Cloud Storage, as JSON Lines, exactly once.</p>
      </header>
      <section aria-label="About">
        {info.state === "ready" && (
          <p data-testid="app-info">
            Version {info.value.version}, data in <code>{info.value.dataDir}</code>
          </p>
        )}
        {info.state === "failed" && <p role="alert">{info.message}</p>}
      </section>
    </main>
  );
}
