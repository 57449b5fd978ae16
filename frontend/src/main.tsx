// The shared styles first, so each component's own rules come after them and win.
import "./styles/base.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { AuthSession, browserPage } from "./auth/session";
import { loadSettings } from "./config";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

const settings = loadSettings(import.meta.env);
const auth = new AuthSession(settings, browserPage());

createRoot(root).render(
  <StrictMode>
    <App settings={settings} auth={auth} />
  </StrictMode>,
);
