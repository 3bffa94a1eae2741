#!/usr/bin/env python3
"""The HTML report in a real browser (headless Chromium, driven over the DevTools protocol on a
pipe: --remote-debugging-pipe, no network port, standard library only).

    browser_test.py OFFROI_CLI CHROMIUM WORKDIR

1. `offroi report` writes the report of a bundled scenario (with tornado and pilot decision)
   and of a hostile scenario (names with markup, quotes, UTF-8).
2. Chromium loads each file: no console message of level error or warning, no uncaught
   exception, no log entry of level error (a Content-Security-Policy violation is one), and no
   network request other than the file itself.
3. The numbers on the page (spans with data-path) equal `offroi run --format json`'s for the
   same flags: the embedded copy is compared with that JSON, each data-value with the value at
   its pointer, and each visible text with its data-value (to the digits shown).
4. A screenshot of each section, in light, dark (prefers-color-scheme) and print media, is not
   blank: enough pixels differ from the page background, and dark mode has a dark background.
5. Controls: a page with an external image and an inline script under the same CSP, and one
   without CSP loading an external image, must be caught (the detectors can fail).
"""

import base64
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402


class CDP:
    """A DevTools-protocol client over Chromium's --remote-debugging-pipe (fds 3 and 4)."""

    def __init__(self, chromium, profile):
        to_browser_r, self._w = os.pipe()
        self._r, from_browser_w = os.pipe()
        args = [chromium, "--headless=new", "--remote-debugging-pipe", "--user-data-dir=" + profile,
                "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--metrics-recording-only", "--mute-audio", "--hide-scrollbars",
                "--window-size=1100,900", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run its sandbox as root

        def child_fds():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.proc = subprocess.Popen(args, pass_fds=(3, 4), preexec_fn=child_fds, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buf = b""
        self._id = 0
        self.events = []

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:  # noqa: BLE001 - the browser may already be gone
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)

    def _read_message(self, deadline):
        while b"\0" not in self._buf:
            if time.monotonic() > deadline:
                raise TimeoutError("no message from Chromium")
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                err = self.proc.stderr.read().decode(errors="replace")[-2000:]
                raise RuntimeError("Chromium closed the pipe; stderr:\n" + err)
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None, timeout=30):
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, session, timeout=30):
        deadline = time.monotonic() + timeout
        for k, e in enumerate(self.events):
            if e.get("method") == method and e.get("sessionId") == session:
                return self.events.pop(k)
        while True:
            m = self._read_message(deadline)
            if m.get("method") == method and m.get("sessionId") == session:
                return m
            self.events.append(m)

    def drain(self, seconds):
        """Collects events for a while (late console messages, requests)."""
        deadline = time.monotonic() + seconds
        self.send("Browser.getVersion")
        while time.monotonic() < deadline:
            time.sleep(0.05)
            self.send("Browser.getVersion")


def open_page(cdp, url):
    """A new tab with Runtime, Log, Network and Page events on; navigates to url, waits for load."""
    target = cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Runtime", "Log", "Network", "Page"):
        cdp.send(domain + ".enable", session=session)
    cdp.events.clear()
    cdp.send("Page.navigate", {"url": url}, session=session)
    cdp.wait_event("Page.loadEventFired", session)
    cdp.drain(0.3)
    return target, session


def problems(cdp, session, url):
    """Console errors and warnings, exceptions, error log entries and requests other than url."""
    out = []
    for e in cdp.events:
        if e.get("sessionId") != session:
            continue
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
            out.append("console " + p["type"] + ": " + json.dumps(p.get("args"))[:300])
        elif m == "Runtime.exceptionThrown":
            out.append("exception: " + json.dumps(p.get("exceptionDetails"))[:300])
        elif m == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
            out.append("log " + p["entry"]["level"] + ": " + p["entry"].get("text", "")[:300])
        elif m == "Network.requestWillBeSent" and p["request"]["url"] != url:
            out.append("request: " + p["request"]["url"][:300])
    return out


def evaluate(cdp, session, expr):
    r = cdp.send("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session=session)
    if "exceptionDetails" in r:
        raise RuntimeError("evaluate: " + json.dumps(r["exceptionDetails"])[:500])
    return r["result"]["value"]


PAGE_FACTS = """(() => {
  const sections = [...document.querySelectorAll('section')].map(s => {
    const r = s.getBoundingClientRect();
    return {id: s.id, x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height};
  });
  const nums = [...document.querySelectorAll('span.num')].map(n => ({
    path: n.dataset.path || null, value: n.dataset.value, text: n.textContent}));
  const data = document.getElementById('offroi-report-data').textContent;
  const bg = getComputedStyle(document.documentElement).backgroundColor;
  return {sections, nums, data, bg, title: document.title, width: document.documentElement.scrollWidth};
})()"""


def screenshot(cdp, session, s):
    shot = cdp.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                               "clip": {"x": s["x"], "y": s["y"], "width": s["w"],
                                                        "height": min(s["h"], 4000), "scale": 1}},
                    session=session, timeout=60)
    return mpimg.imread(io.BytesIO(base64.b64decode(shot["data"])), format="png")


def ink(img):
    """Share of pixels that differ from the image's most common (background) colour, and the
    background's luminance."""
    rgb = (img[..., :3] * 255).astype(np.int32)
    flat = rgb.reshape(-1, 3)
    keys = flat[:, 0] * 65536 + flat[:, 1] * 256 + flat[:, 2]
    values, counts = np.unique(keys, return_counts=True)
    bg_key = values[np.argmax(counts)]
    bg = np.array([bg_key // 65536, (bg_key // 256) % 256, bg_key % 256])
    differs = np.abs(flat - bg).sum(axis=1) > 60
    return differs.mean(), (0.2126 * bg[0] + 0.7152 * bg[1] + 0.0722 * bg[2]) / 255


def parse_shown(text):
    """The number a visible text shows and its display tolerance, or None for 'n/a' / '—'."""
    t = text.strip().replace("\u00b1", "")
    m = re.fullmatch(r"(-?)\$([0-9.]+(?:e[+-]?\d+)?)([kMB]?)", t)
    if m:
        v = float(m.group(2)) * {"": 1, "k": 1e3, "M": 1e6, "B": 1e9}[m.group(3)]
        return (-v if m.group(1) else v), 0.0051 * v + 0.5  # 3 significant digits
    m = re.fullmatch(r"([0-9]*)(?:\.([0-9]*))?(?:e([+-]?\d+))?%", t)
    if m and t != "%":
        decimals = len(m.group(2) or "")
        exponent = int(m.group(3) or 0)
        return float(t[:-1]) / 100, 0.5 * 10 ** (exponent - decimals) * 1.0001 / 100
    m = re.fullmatch(r"m(\d+)\*?", t)
    if m:
        return float(m.group(1)), 0.5
    m = re.fullmatch(r"[+-]?([0-9]*)(?:\.([0-9]*))?(?:e([+-]?\d+))?", t)
    if m and t not in ("", "+", "-"):
        # Half a unit of the last digit shown ("%.2g" of 123 is "1.2e+02": 5).
        decimals = len(m.group(2) or "")
        exponent = int(m.group(3) or 0)
        return float(t), 0.5 * 10 ** (exponent - decimals) * 1.0001
    return None


def pointer(doc, path):
    for part in path.lstrip("/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def check_numbers(facts, run_json, failures, label):
    data = json.loads(facts["data"])
    if run_json is not None and data["run"] != run_json:
        failures.append(f"{label}: the embedded run differs from `offroi run --format json`")
    checked = 0
    for n in facts["nums"]:
        value = None if n["value"] == "null" else float(n["value"])
        if n["path"]:
            at = pointer(data, n["path"])
            if value is None:
                if at is not None:
                    failures.append(f"{label}: {n['path']}: data-value null, JSON {at}")
            elif at is None or float(at) != value:
                failures.append(f"{label}: {n['path']}: data-value {value}, JSON {at}")
        shown = parse_shown(n["text"])
        if shown is None:
            if value is not None and n["text"].strip() not in ("n/a",) and math.isfinite(value):
                # A month beyond reach shows "never"; anything else must show its number.
                if n["text"].strip() != "never":
                    failures.append(f"{label}: {n['path']}: text {n['text']!r} shows no number for {value}")
            continue
        v, tol = shown
        if value is None or abs(v - value) > tol:
            failures.append(f"{label}: {n['path'] or 'derived'}: text {n['text']!r} != data-value {value}")
        checked += 1
    return checked


def main():
    cli, chromium, work = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(work, exist_ok=True)
    t0 = time.monotonic()
    failures = []
    flags = ["--trials", "4000", "--seed", "11", "--driver-trials", "1000"]
    main_html = os.path.join(work, "report.html")
    subprocess.run([cli, "report", "leadership-cut", *flags, "--tornado", "--event-trials", "8", "--decide",
                    "--decision-trials", "1000", "-o", main_html], check=True)
    run_json = json.loads(subprocess.run([cli, "run", "leadership-cut", *flags, "--format", "json"], check=True,
                                         capture_output=True, text=True).stdout)
    hostile = {
        "format_version": 2,
        "name": "<script>alert(\"x\")</script> '\" & \u00e9t\u00e9 \u6d77\u5916",
        "description": "</script><img src=\"http://127.0.0.1:9/pixel.png\"><!-- \U0001F680",
        "assumptions": ["<b onmouseover=\"alert(1)\">bold</b>", "<style>body{display:none}</style>"],
        "baseline": {"preset": "in_house", "name": "in<house>"},
        "alternatives": [{"preset": "offshore_team", "name": "<img src=x onerror=alert(2)>",
                          "description": "<link rel=stylesheet href=http://127.0.0.1:9/x.css>"}],
        "simulation": {"trials": 2000, "seed": 5},
    }
    hostile_file = os.path.join(work, "hostile.json")
    with open(hostile_file, "w", encoding="utf-8") as f:
        json.dump(hostile, f, ensure_ascii=False)
    hostile_html = os.path.join(work, "hostile.html")
    subprocess.run([cli, "report", hostile_file, "--driver-trials", "500", "-o", hostile_html], check=True)
    hostile_run = json.loads(subprocess.run([cli, "run", hostile_file, "--driver-trials", "500", "--format", "json"],
                                            check=True, capture_output=True, text=True).stdout)
    # Controls: the detectors must catch an external load and a console error.
    csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
    control_csp = os.path.join(work, "control_csp.html")
    with open(control_csp, "w") as f:
        f.write("<!DOCTYPE html><html><head>" + csp + "</head><body><img src=\"http://127.0.0.1:9/x.png\">"
                "<script>console.error('boom')</script></body></html>")
    control_net = os.path.join(work, "control_net.html")
    with open(control_net, "w") as f:
        f.write("<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/x.png\"></body></html>")
    generated = time.monotonic() - t0

    profile = tempfile.mkdtemp(prefix="offroi-chromium-")
    cdp = CDP(chromium, profile)
    try:
        for path in (control_csp, control_net):
            url = "file://" + os.path.abspath(path)
            _, session = open_page(cdp, url)
            found = problems(cdp, session, url)
            if not found:
                failures.append(f"control {os.path.basename(path)}: no problem detected (the detector is blind)")
            else:
                print(f"control {os.path.basename(path)}: caught {len(found)}: {found[0][:120]}")
        for path, rj, label in ((main_html, run_json, "leadership-cut"), (hostile_html, hostile_run, "hostile")):
            url = "file://" + os.path.abspath(path)
            _, session = open_page(cdp, url)
            cdp.send("Emulation.setDeviceMetricsOverride", {"width": 1100, "height": 900, "deviceScaleFactor": 1,
                                                            "mobile": False}, session=session)
            facts = evaluate(cdp, session, PAGE_FACTS)
            for p in problems(cdp, session, url):
                failures.append(f"{label}: {p}")
            n = check_numbers(facts, rj, failures, label)
            print(f"{label}: {len(facts['nums'])} numbers, {n} visible texts checked against their values")
            if facts["width"] > 1100:
                failures.append(f"{label}: the page is wider than the window ({facts['width']} px)")
            if label == "hostile":
                dom = evaluate(cdp, session, """[
                  document.querySelectorAll('img,link,iframe,object,embed').length,
                  document.querySelectorAll('script').length, document.querySelectorAll('style').length,
                  [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(
                     a => a.name.startsWith('on'))).length]""")
                if dom != [0, 1, 1, 0]:  # the data block and the stylesheet only, no event handler
                    failures.append(f"{label}: [img/link/..., script, style, on* attributes] = {dom}, "
                                    "expected [0, 1, 1, 0]")
                if hostile["name"] not in facts["title"]:
                    failures.append(f"{label}: the title does not show the name as text: {facts['title']!r}")
            ids = [s["id"] for s in facts["sections"]]
            want = ["question", "headline", "assumptions", "distribution", "waterfall", "drivers", "appendix"]
            if label == "leadership-cut":
                want += ["sensitivity", "decision"]
            for w in want:
                if w not in ids:
                    failures.append(f"{label}: section {w} missing")
            for media, scheme in (("screen", "light"), ("screen", "dark"), ("print", "light")):
                cdp.send("Emulation.setEmulatedMedia",
                         {"media": media, "features": [{"name": "prefers-color-scheme", "value": scheme}]},
                         session=session)
                facts = evaluate(cdp, session, PAGE_FACTS)
                for s in facts["sections"]:
                    if s["h"] < 20:
                        failures.append(f"{label} {media}/{scheme}: section {s['id']} is {s['h']} px high")
                        continue
                    img = screenshot(cdp, session, s)
                    share, bg = ink(img)
                    # A section with a heading and a paragraph inks well over 1% of its area.
                    if share < 0.01:
                        failures.append(f"{label} {media}/{scheme}: section {s['id']} is blank ({share:.4f} inked)")
                    if (scheme == "dark" and media == "screen") != (bg < 0.3):
                        failures.append(f"{label} {media}/{scheme}: section {s['id']} background luminance {bg:.2f}")
                    if label == "leadership-cut" and scheme == "light" and media == "screen":
                        mpimg.imsave(os.path.join(work, f"section-{s['id']}.png"), img)
                print(f"{label} {media}/{scheme}: {len(facts['sections'])} sections rendered, none blank")
            pdf = cdp.send("Page.printToPDF", {"printBackground": True}, session=session, timeout=60)
            if len(base64.b64decode(pdf["data"])) < 10000:
                failures.append(f"{label}: the printed PDF is nearly empty")
            for p in problems(cdp, session, url):
                failures.append(f"{label} after rendering: {p}")
    finally:
        cdp.close()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"generation {generated:.1f} s, total {time.monotonic() - t0:.1f} s")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
