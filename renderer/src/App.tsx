import { useEffect } from "react";
import { Dashboard } from "./components/Dashboard";
import { FilesView } from "./components/FilesView";
import { useStore } from "./store";
import { Wizard } from "./wizard/Wizard";

export function App() {
  const { view, navigate, info, loadInfo, refresh, subscribe, notice, dismissNotice, startWizard } = useStore();
  useEffect(() => {
    void loadInfo();
    void refresh();
    const unsubscribe = subscribe();
    // Exporters created elsewhere (the CLI) show up too.
    const timer = window.setInterval(() => void refresh(), 5000);
    return () => {
      unsubscribe();
      window.clearInterval(timer);
    };
  }, [loadInfo, refresh, subscribe]);

  return (
    <div className="app">
      <header className="app-header">
        <div>
          <h1>Streamdrop</h1>
          <p className="tagline">Kafka topics to S3 and Cloud Storage buckets, as JSON Lines, exactly once.</p>
        </div>
        <nav aria-label="Main">
          <button type="button" className="nav" aria-current={view.name === "dashboard" ? "page" : undefined} onClick={() => navigate({ name: "dashboard" })}>
            Dashboard
          </button>
          <button type="button" className="nav" aria-current={view.name === "wizard" ? "page" : undefined} onClick={() => startWizard()}>
            Set up an export
          </button>
        </nav>
      </header>
      {notice && (
        <div className={`message ${notice.kind} notice`} role={notice.kind === "error" ? "alert" : "status"}>
          <span>{notice.text}</span>
          <button type="button" className="button secondary small" onClick={dismissNotice}>
            Dismiss
          </button>
        </div>
      )}
      <main>
        {view.name === "dashboard" && <Dashboard />}
        {view.name === "wizard" && <Wizard />}
        {view.name === "files" && <FilesView exporter={view.exporter} />}
      </main>
      <footer className="app-footer">
        {info.state === "ready" && (
          <p data-testid="app-info">
            Version {info.value.version}, data in <code>{info.value.dataDir}</code>
          </p>
        )}
        {info.state === "failed" && <p role="alert">{info.message}</p>}
      </footer>
    </div>
  );
}
