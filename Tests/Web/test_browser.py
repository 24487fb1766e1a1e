"""The page and the dashboard in a real browser (Debian's chromium and chromedriver through
Selenium): draw with real pointer events, read the answer and the bars, give feedback, check
the log; the same with touch on a phone-sized screen; the dashboard against `numeral stats`."""
import csv
import io
import os
import time
import unittest

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions import interaction
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from serve_fixture import Server

# A "7": a bar across the top, then a diagonal down to the left, in fractions of the canvas.
SEVEN = [[(0.25, 0.2), (0.5, 0.2), (0.75, 0.2), (0.62, 0.45), (0.5, 0.7), (0.42, 0.85)]]
ONE = [[(0.5, 0.15), (0.5, 0.4), (0.5, 0.65), (0.5, 0.85)]]
# A capital "T": the bar, then the stem.
CAPITAL_T = [[(0.15, 0.15), (0.5, 0.15), (0.85, 0.15)], [(0.5, 0.15), (0.5, 0.5), (0.5, 0.88)]]
# "17": a one on the left half, a seven on the right.
SEVENTEEN = [[(0.25, 0.2), (0.25, 0.45), (0.25, 0.7), (0.25, 0.85)],
             [(0.5, 0.2), (0.65, 0.2), (0.82, 0.2), (0.74, 0.45), (0.66, 0.7), (0.61, 0.85)]]


def png_bytes(w, h, pixels):
    """A grayscale PNG, written here so the tests need no imaging library."""
    import struct
    import zlib
    raw = b"".join(b"\x00" + bytes(pixels[y * w:(y + 1) * w]) for y in range(h))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def photo_of(points, size=240, seed=1):
    """A stroke of dark pen on unevenly lit, noisy paper: a photo, as the reader judges by content."""
    import random
    rng = random.Random(seed)
    pixels = [max(0, min(255, int(200 + 30 * x / size + rng.gauss(0, 4)))) for y in range(size) for x in range(size)]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        n = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        for i in range(n + 1):
            cx, cy = x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n
            for dy in range(-5, 6):
                for dx in range(-5, 6):
                    if dx * dx + dy * dy <= 25:
                        pixels[int(cy + dy) * size + int(cx + dx)] = 40
    return png_bytes(size, size, pixels)


def browser(phone=False):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1100,900"):
        options.add_argument(flag)
    if phone:
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0, "touch": True},
            "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile"})
    return webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)


class BrowserTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(os.environ["NUMERAL_BINARY"])

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def log_rows(self):
        status, _, body = self.server.request("GET", "/api/v1/log.csv", token=self.server.admin)
        self.assertEqual(status, 200)
        return list(csv.DictReader(io.StringIO(body.decode())))

    def draw(self, driver, strokes, touch=False):
        canvas = driver.find_element(By.ID, "canvas")
        w, h = canvas.size["width"], canvas.size["height"]
        kind = interaction.POINTER_TOUCH if touch else interaction.POINTER_MOUSE
        builder = ActionBuilder(driver, mouse=PointerInput(kind, "finger" if touch else "mouse"))
        for stroke in strokes:
            # Offsets are from the element's centre.
            points = [(int((x - 0.5) * w), int((y - 0.5) * h)) for x, y in stroke]
            builder.pointer_action.move_to(canvas, *points[0]).pointer_down()
            for a, b in zip(points, points[1:]):
                for step in range(1, 6):  # intermediate moves, as a hand makes them
                    builder.pointer_action.move_to(canvas, a[0] + (b[0] - a[0]) * step // 5, a[1] + (b[1] - a[1]) * step // 5)
            builder.pointer_action.pointer_up()
        builder.perform()

    def answer(self, driver):
        WebDriverWait(driver, 15).until(lambda d: d.find_element(By.ID, "number").text.strip() != ""
                                        and len(d.find_elements(By.CSS_SELECTOR, "#bars .prob")) == 10)
        time.sleep(0.5)  # the last live prediction of the drawing settles
        number = driver.find_element(By.ID, "number").text.strip()
        bars = {int(e.get_attribute("data-digit")): float(e.text.rstrip("%")) for e in driver.find_elements(By.CSS_SELECTOR, "#bars .prob")}
        return number, bars

    def feedback_and_check_log(self, driver, digit, drawn_before):
        driver.find_element(By.CSS_SELECTOR, f"#digits button[data-digit='{digit}']").click()
        WebDriverWait(driver, 10).until(lambda d: "Thank you" in d.find_element(By.ID, "status").text)
        rows = self.log_rows()
        self.assertEqual(len(rows), drawn_before + 1, "one drawing is one record, however many live predictions it made")
        row = rows[-1]
        self.assertEqual(row["input_type"], "api")
        self.assertEqual(row["digit_actual"], str(digit))
        self.assertTrue(row["client"].startswith("ip:127.0.0.1"), row)
        return row

    def test_draw_with_the_mouse_read_answer_and_bars_give_feedback(self):
        driver = browser()
        try:
            driver.get(self.server.url + "/")
            before = len(self.log_rows())
            self.draw(driver, SEVEN)
            number, bars = self.answer(driver)
            self.assertEqual(number, "7")
            self.assertEqual(max(bars, key=bars.get), 7)
            self.assertAlmostEqual(sum(bars.values()), 100, delta=1.5)
            self.assertEqual(len(driver.find_elements(By.CSS_SELECTOR, "#inputs canvas")), 1)
            row = self.feedback_and_check_log(driver, 7, before)
            self.assertEqual(row["digit_predicted"], "7")
            self.assertEqual(driver.find_element(By.ID, "number").text, "", "the canvas is clean for the next digit")
            if os.environ.get("NUMERAL_SCREENSHOTS"):
                self.draw(driver, SEVEN)
                self.answer(driver)
                driver.save_screenshot(os.path.join(os.environ["NUMERAL_SCREENSHOTS"], "serve-page.png"))
                driver.find_element(By.ID, "clear").click()
        finally:
            driver.quit()

    def test_each_digit_of_a_number_can_be_corrected(self):
        """Issue 29: "17" corrected with 4 was saved as "4"; the page now corrects the selected digit."""
        driver = browser()
        try:
            driver.get(self.server.url + "/")
            before = len(self.log_rows())
            self.draw(driver, SEVENTEEN)
            number, bars = self.answer(driver)
            self.assertEqual(number, "17")
            self.assertEqual(max(bars, key=bars.get), 1, "the bars start on the first digit")
            driver.find_element(By.CSS_SELECTOR, "#number span[data-index='1']").click()
            bars = {int(e.get_attribute("data-digit")): float(e.text.rstrip("%")) for e in driver.find_elements(By.CSS_SELECTOR, "#bars .prob")}
            self.assertEqual(max(bars, key=bars.get), 7, "the bars follow the selected digit")
            self.assertIn("Digit 2 of 2", driver.find_element(By.ID, "which").text)
            driver.find_element(By.CSS_SELECTOR, "#digits button[data-digit='4']").click()
            WebDriverWait(driver, 10).until(lambda d: "Thank you" in d.find_element(By.ID, "status").text)
            self.assertIn("Saved as 14", driver.find_element(By.ID, "status").text)
            rows = self.log_rows()
            self.assertEqual(len(rows), before + 1)
            self.assertEqual((rows[-1]["digit_predicted"], rows[-1]["digit_actual"]), ("17", "14"))
        finally:
            driver.quit()

    def test_letters_are_read_when_chosen_and_a_typed_letter_corrects_them(self):
        """Issue 27: the page reads letters with the letter models and keeps a typed correction."""
        driver = browser()
        try:
            driver.get(self.server.url + "/")
            before = len(self.log_rows())
            Select(driver.find_element(By.ID, "classes")).select_by_value("letters")
            self.draw(driver, CAPITAL_T)
            number, bars = self.answer(driver)
            self.assertEqual(number, "T")
            top = driver.find_elements(By.CSS_SELECTOR, "#bars .prob")[0]
            self.assertEqual(top.get_attribute("data-character"), "T", "the ten likeliest characters, most likely first")
            self.assertIn("T ", driver.find_element(By.ID, "top3").text)
            if os.environ.get("NUMERAL_SCREENSHOTS"):
                driver.save_screenshot(os.path.join(os.environ["NUMERAL_SCREENSHOTS"], "serve-page-letters.png"))
            field = driver.find_element(By.ID, "actual")
            field.send_keys("t")
            driver.find_element(By.ID, "save-actual").click()
            WebDriverWait(driver, 10).until(lambda d: "Thank you" in d.find_element(By.ID, "status").text)
            rows = self.log_rows()
            self.assertEqual(len(rows), before + 1)
            self.assertEqual((rows[-1]["digit_predicted"], rows[-1]["digit_actual"]), ("T", "t"))
            # Back to digits: a "7" reads as before.
            Select(driver.find_element(By.ID, "classes")).select_by_value("digits")
            self.draw(driver, SEVEN)
            number, bars = self.answer(driver)
            self.assertEqual(number, "7")
            self.assertEqual(sorted(bars), list(range(10)))
        finally:
            driver.quit()

    def test_an_unsure_picture_reading_is_shown_as_a_guess(self):
        """A picture whose reading the API marks unsure shows the page's hint; a clear one does not."""
        import json
        import tempfile
        pictures = {"clear one": photo_of([(120, 50), (120, 190)]), "a vee": photo_of([(70, 60), (120, 180), (170, 60)])}
        seen = set()
        driver = browser()
        try:
            for name, data in pictures.items():
                status, _, body = self.server.request("POST", "/api/v1/predictions", body=data, content_type="image/png")
                self.assertEqual(status, 201, body)
                api = json.loads(body)
                self.assertEqual(api.get("read_as"), "photo", api)
                self.assertIn(api.get("unsure"), (True, False), api)
                seen.add(api["unsure"])
                with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as f:
                    f.write(data)
                driver.get(self.server.url + "/")
                driver.find_element(By.ID, "photo").send_keys(f.name)
                WebDriverWait(driver, 15).until(lambda d: d.find_element(By.ID, "number").text.strip() != "")
                hint = driver.find_element(By.ID, "unsure")
                self.assertEqual(hint.is_displayed(), api["unsure"], f"{name}: the hint follows the API's unsure")
                if api["unsure"]:
                    self.assertIn("guess", hint.text)
                os.unlink(f.name)
            self.assertEqual(seen, {True, False}, "one picture of each kind, so both sides are checked")
        finally:
            driver.quit()

    def test_phone_sized_screen_with_touch(self):
        driver = browser(phone=True)
        try:
            driver.get(self.server.url + "/")
            self.assertLessEqual(driver.execute_script("return document.documentElement.scrollWidth"), 390,
                                 "nothing wider than the phone")
            driver.execute_script("""window.__touches = 0; window.__kinds = new Set();
                document.getElementById('canvas').addEventListener('pointerdown', e => { window.__touches++; window.__kinds.add(e.pointerType); });""")
            before = len(self.log_rows())
            self.draw(driver, ONE, touch=True)
            number, bars = self.answer(driver)
            self.assertEqual(driver.execute_script("return [...window.__kinds]"), ["touch"])
            self.assertEqual(number, "1")
            self.assertEqual(max(bars, key=bars.get), 1)
            if os.environ.get("NUMERAL_SCREENSHOTS"):
                driver.save_screenshot(os.path.join(os.environ["NUMERAL_SCREENSHOTS"], "serve-phone.png"))
            self.feedback_and_check_log(driver, 1, before)
        finally:
            driver.quit()

    def test_dashboard_matches_numeral_stats(self):
        # Two labelled predictions through the API, so the dashboard has something to show.
        import json
        for drawing, actual in (([[[140, 40], [142, 120], [144, 220]]], "1"), ([[[60, 50], [220, 50], [110, 250]]], "1")):
            status, _, body = self.server.request("POST", "/api/v1/predictions", json.dumps({"strokes": drawing}), "application/json")
            self.assertEqual(status, 201)
            pid = json.loads(body)["id"]
            self.server.request("POST", f"/api/v1/predictions/{pid}/feedback", json.dumps({"actual": actual}), "application/json")
        driver = browser()
        try:
            driver.get(self.server.url + "/dashboard")
            field = driver.find_element(By.ID, "token")
            field.clear()
            field.send_keys(self.server.viewer)
            driver.find_element(By.ID, "apply").click()
            WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".tile"))
            stats = self.server.stats()
            tile = lambda name: driver.find_element(By.CSS_SELECTOR, f".tile[data-tile='{name}'] .value").text
            self.assertEqual(tile("Predictions"), str(stats["summary"]["total"]))
            self.assertEqual(tile("Labelled"), str(stats["summary"]["labelled"]))
            self.assertEqual(tile("Accuracy"), f"{stats['accuracy']['accuracy'] * 100:.1f}%")
            for actual, row in enumerate(stats["confusion"]):
                for predicted, count in enumerate(row):
                    cell = driver.find_element(By.CSS_SELECTOR, f"td[data-cell='{actual}-{predicted}']").text
                    self.assertEqual(cell, str(count) if count else "", (actual, predicted))
            # Live: a new prediction shows up without reloading the page.
            total = stats["summary"]["total"]
            self.server.request("POST", "/api/v1/predictions", json.dumps({"strokes": [[[10, 10], [10, 90]]]}), "application/json")
            WebDriverWait(driver, 10).until(lambda d: tile("Predictions") == str(total + 1))
            if os.environ.get("NUMERAL_SCREENSHOTS"):
                driver.save_screenshot(os.path.join(os.environ["NUMERAL_SCREENSHOTS"], "serve-dashboard.png"))
            # Without a token the dashboard says why instead of showing numbers.
            driver.find_element(By.ID, "token").clear()
            driver.find_element(By.ID, "apply").click()
            WebDriverWait(driver, 10).until(lambda d: "token" in d.find_element(By.ID, "status").text.lower())
        finally:
            driver.quit()


if __name__ == "__main__":
    unittest.main()
