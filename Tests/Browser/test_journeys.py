"""Issue 13's acceptance in a real browser: headless Chromium driven by Selenium.

Run by Scripts/browser-tests.sh, which starts `shenguan serve --demo` on a throwaway database and
passes its address in SHENGUAN_BASE_URL. Only the firm's new project is registered through the JSON
API (there is no page for it); everything after that happens in the browser:

  PermitJourney     the firm applies in the 一证制 wizard on a phone: it ticks 临时占用绿地 on the
                    menu, picks the project, fills the one form, uploads each material as a real file
                    through the file input, is shown a missing field beside it, and submits; then
                    the clerk accepts, two reviewers approve their items, the issuer issues (desktop);
                    an inspector opens the certificate's QR page on a phone, sees 有效 and records the
                    inspection on the task it leads to; the firm sees the inspection on its timeline
  FormWithoutToken  a console form posted with its CSRF field removed is refused (403), nothing changes
  PageScreenshots   each main page at desktop (1280×900) and phone (375×812) widths, saved under
                    Tests/Browser/screenshots/; at 375 px no page may be wider than the window

Waits are explicit (WebDriverWait), never sleeps. Environment:
  SHENGUAN_BASE_URL      the running server (required)
  SHENGUAN_SCREENSHOTS   where screenshots go (default: screenshots/ beside this file)
  CHROMIUM_BINARY, CHROMEDRIVER   default /usr/bin/chromium and /usr/bin/chromedriver (Debian's)
"""

import base64
import contextlib
import datetime
import json
import os
import random
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ.get("SHENGUAN_BASE_URL", "").rstrip("/")
HERE = os.path.dirname(os.path.abspath(__file__))
SHOTS = os.environ.get("SHENGUAN_SCREENSHOTS") or os.path.join(HERE, "screenshots")
CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
PASSWORD = "Demo-2026!"  # every demo account's (SampleProjects/accounts.yaml)
DESKTOP = (1280, 900)
PHONE = (375, 812)
WAIT = 30  # seconds: a debug build on a busy 2-core CI machine

FIRM = "chongren"  # 武汉崇仁置业有限公司
FIRM_USCC = "91420104MA4K2R7CXL"
CONTRACTOR_USCC = "91420100177680427W"  # 湖北汉楚建工集团有限公司
CLERK = "clerk-wang"
REVIEWS = [("reviewer-housing", "ZJ-SGXK"), ("reviewer-landscaping", "YL-LDZY")]
ISSUER = "issuer"
# YL-LDZY routes 临时占绿现场检查 (greenspace-check) to landscaping in the project's region (420104):
# Modules/items/YL-LDZY.yaml `supervision`.
INSPECTOR = "inspector-yl-qk"
TASK_TITLE = "临时占绿现场检查"
# 施工许可 + 临时占用绿地: the one form's values and every material to upload (the electronic ones
# are fetched; the tree plan could be deferred, but is given so that the clerk accepts in full).
TODAY = datetime.date.today()
FORM = {"contactName": "张伟", "contactPhone": "13871234567", "contractorUscc": CONTRACTOR_USCC,
        "contractPriceYuan": "368000000", "totalAreaM2": "86500.5", "structureType": "框架-剪力墙",
        "startDate": (TODAY + datetime.timedelta(days=30)).isoformat(),
        "endDate": (TODAY + datetime.timedelta(days=600)).isoformat(), "greenspaceAreaM2": "420"}
MATERIALS = ["construction-contract", "funding-commitment", "greenspace-location-map", "greenspace-restoration-plan", "tree-protection-plan"]
WIZARD = "/firm/apply/comprehensive-permit"
STAGE_WIZARD = "/firm/apply/staged-permit"
NIGHT_WORK = "/firm/night-work/apply"


# ---- the JSON API (set-up and checks only) ------------------------------------------------------

class Api:
    def __init__(self):
        self.tokens = {}

    def call(self, method, path, token=None, body=None, raw=None, content_type="application/json"):
        data = json.dumps(body).encode() if body is not None else raw
        request = urllib.request.Request(BASE + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                text = response.read().decode()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def expect(self, status, method, path, token=None, **kwargs):
        got, body = self.call(method, path, token, **kwargs)
        if got != status:
            raise AssertionError(f"{method} {path}: expected {status}, got {got}: {body}")
        return body

    def token(self, username):
        if username not in self.tokens:
            body = self.expect(200, "POST", "/api/v1/auth/login", body={"username": username, "password": PASSWORD})
            self.tokens[username] = body["token"]
        return self.tokens[username]

    def get(self, path, username):
        return self.expect(200, "GET", path, self.token(username))

    def upload(self, label, username):
        return self.expect(201, "POST", "/api/v1/files", self.token(username), raw=demo_pdf(label), content_type="application/pdf")["id"]

    def project(self, project_name):
        """A new project of the demo firm, with its contractor (施工许可 asks for one). Returns its id."""
        project_code = f"2411-420104-04-01-{random.randrange(100000, 1000000)}"  # new on a server used before too
        return self.expect(201, "POST", "/api/v1/projects", self.token(FIRM), body={
            "code": project_code, "name": project_name, "district": "420104",
            "address": "武汉市硚口区崇仁路与解放大道交汇处西北侧", "category": "房屋建筑工程",
            "builder": {"name": "武汉崇仁置业有限公司", "uscc": FIRM_USCC},
            "contractor": {"name": "湖北汉楚建工集团有限公司", "uscc": CONTRACTOR_USCC},
        })["id"]

    def submitted_application(self, project_name):
        """施工许可 + 临时占用绿地 on a new project of the demo firm, every material uploaded: the
        application the wizard submits in PermitJourney, made through the API. Returns its id."""
        materials = [{"material": material, "file": self.upload(material, FIRM)} for material in MATERIALS]
        application = self.expect(201, "POST", "/api/v1/applications", self.token(FIRM), body={
            "projectId": self.project(project_name), "bundle": "comprehensive-permit", "items": ["ZJ-SGXK", "YL-LDZY"],
            "form": dict(FORM, contractPriceYuan=368000000, totalAreaM2=86500.5, greenspaceAreaM2=420),
            "materials": materials,
        })
        return application["id"]

    def status(self, application_id):
        return self.get(f"/api/v1/applications/{application_id}", CLERK)["status"]


DEMO_PROJECT = "2403-420104-04-01-318562"  # 崇仁路023地块 (SampleProjects/projects.yaml)


def demo_issued(api):
    """The demo's issued 一证制 application of 崇仁路023地块 (SampleProjects/applications.yaml
    `chongren-comprehensive`) and the /v/ address of its certificate."""
    issued = next(a for a in api.get("/api/v1/applications?status=issued&limit=200", FIRM)
                  if a.get("bundle") == "comprehensive-permit" and a["project"]["code"] == DEMO_PROJECT)
    certificate = api.get(f"/api/v1/applications/{issued['id']}", FIRM)["certificates"][0]
    return issued, "/v/" + certificate["qr"].split("/v/", 1)[1]


def demo_pdf(label):
    """A one-page PDF, as Kernel's DemoPDF.document makes them."""
    stream = f"BT /F1 18 Tf 72 720 Td ({label}) Tj ET"
    title = "FEFF" + label.encode("utf-16-be").hex().upper()
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream.encode())} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title <{title}> >>",
    ]
    pdf, offsets = "%PDF-1.4\n", []
    for index, body in enumerate(objects):
        offsets.append(len(pdf.encode()))
        pdf += f"{index + 1} 0 obj\n{body}\nendobj\n"
    xref = len(pdf.encode())
    pdf += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    pdf += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return pdf.encode()


# ---- the browser --------------------------------------------------------------------------------

def new_browser(size):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN", "--no-first-run",
                     "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--disable-default-apps", "--hide-scrollbars"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    driver.get(BASE + "/healthz")
    resize(driver, size)
    return driver


def resize(driver, size):
    """The viewport (window.innerWidth × innerHeight) exactly `size`: the window is set, then grown
    by whatever the browser keeps for itself."""
    width, height = size
    driver.set_window_size(width, height)
    inner_width, inner_height = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if (inner_width, inner_height) != (width, height):
        driver.set_window_size(width + (width - inner_width), height + (height - inner_height))
        inner_width, inner_height = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if inner_width != width:
        raise AssertionError(f"the browser window is {inner_width} px wide inside, not {width}")


def wait(driver, timeout=WAIT):
    return WebDriverWait(driver, timeout)


def loaded(driver):
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")


def open_page(driver, path):
    driver.get(BASE + path)
    loaded(driver)


def replaced(page):
    """Whether `page` (the old document's root) has left the window. Chromium sometimes answers a
    question about a node of the replaced document with "does not belong to the document" rather
    than as a stale element: that too means the next page is there."""
    def check(_driver):
        try:
            page.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return check


def follow(driver, element):
    """Clicks a link or submit button and waits for the next page to have loaded."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()
    wait(driver).until(replaced(page))
    loaded(driver)


def status(driver):
    """The HTTP status of the page shown now (the navigation's own response)."""
    return driver.execute_script("var entry = performance.getEntriesByType('navigation')[0]; return entry ? entry.responseStatus : null")


def path(driver):
    return driver.execute_script("return location.pathname")


def text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def sign_in(driver, username):
    """Signs in through /login (after dropping any earlier session) and waits for the role's home."""
    driver.delete_all_cookies()
    open_page(driver, "/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    follow(driver, driver.find_element(By.CSS_SELECTOR, 'main form[action="/login"] button[type="submit"]'))
    if path(driver) == "/login":
        raise AssertionError(f"{username} could not sign in: {text(driver)}")


def screenshot(driver, name):
    """The whole page (not only the viewport) as SHOTS/name.png."""
    os.makedirs(SHOTS, exist_ok=True)
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    content = metrics.get("cssContentSize") or metrics["contentSize"]
    width = driver.execute_script("return window.innerWidth")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": max(width, content["width"]), "height": content["height"], "scale": 1},
    })
    with open(os.path.join(SHOTS, name + ".png"), "wb") as file:
        file.write(base64.b64decode(shot["data"]))


@contextlib.contextmanager
def evidence(driver, name):
    """On failure, the screenshot and HTML of the page in SHOTS/failures/ (then the failure goes on)."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            os.makedirs(os.path.join(SHOTS, "failures"), exist_ok=True)
            driver.save_screenshot(os.path.join(SHOTS, "failures", name + ".png"))
            with open(os.path.join(SHOTS, "failures", name + ".html"), "w", encoding="utf-8") as file:
                file.write(f"<!-- {driver.current_url} -->\n" + driver.page_source)
        raise


OVERFLOW_SCRIPT = """
var width = window.innerWidth, wide = [];
document.querySelectorAll('body *').forEach(function (element) {
  var box = element.getBoundingClientRect();
  if (box.width > 0 && box.right > width + 0.5) {
    var name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') +
      (element.className && typeof element.className === 'string' ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
    wide.push(name + ' (right edge ' + Math.round(box.right) + ' px): ' + (element.textContent || '').trim().slice(0, 40));
  }
});
return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide: wide.slice(0, 8)};
"""


def overflow(driver):
    """None when the page fits the window's width; else what sticks out."""
    found = driver.execute_script(OVERFLOW_SCRIPT)
    if found["scrollWidth"] <= found["innerWidth"]:
        return None
    return f"scrollWidth {found['scrollWidth']} > innerWidth {found['innerWidth']}; wider than the window: " + "; ".join(found["wide"])


# ---- the journeys -------------------------------------------------------------------------------

class PermitJourney(unittest.TestCase):
    """One application from the firm's wizard to the inspection on the firm's timeline. The steps
    run in order (unittest sorts them by name); a later step fails at once when an earlier one did."""

    api = Api()
    project = None
    application = None  # its id, once the wizard has submitted it
    number = None  # the certificate's number, once issued
    qr_path = None  # its /v/… address, as the console page links it
    inspected = False

    @classmethod
    def setUpClass(cls):
        cls.project = cls.api.project("崇仁路浏览器验收地块项目")

    def browser(self, size):
        driver = new_browser(size)
        self.addCleanup(driver.quit)
        return driver

    def test_0_firm_applies_in_the_wizard(self):
        cls = type(self)
        driver = self.browser(PHONE)
        files = tempfile.TemporaryDirectory()
        self.addCleanup(files.cleanup)
        with evidence(driver, "journey-0-wizard"):
            # the menu, from 我的申请: 临时占用绿地 ticked beside the always-included 施工许可, the new project chosen
            sign_in(driver, FIRM)
            follow(driver, driver.find_element(By.CSS_SELECTOR, f'main a[href="{WIZARD}"]'))
            self.assertEqual((path(driver), status(driver)), (WIZARD, 200))
            self.assertIn("须同时选择“建设工程质量安全监督手续”", text(driver), "the menu explains its rules")
            self.assertIsNone(overflow(driver), "the menu at 375 px")
            for choice in [f'input[name="items"][value="{REVIEWS[1][1]}"]', f'input[name="project"][value="{cls.project}"]']:
                element = driver.find_element(By.CSS_SELECTOR, choice)
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
                element.click()
            follow(driver, driver.find_element(By.XPATH, '//button[starts-with(normalize-space(), "下一步")]'))

            # the combined notice and the one form; every material a real file chosen in its input
            self.assertEqual((path(driver), status(driver)), (WIZARD + "/form", 200))
            page = text(driver)
            self.assertIn("一次性告知：申请材料", page)
            self.assertIn("临时占用绿地", page)
            self.assertIsNone(overflow(driver), "the form at 375 px")
            for key, value in FORM.items():
                field = driver.find_element(By.ID, "field-" + key)
                if key == "contactPhone":
                    continue  # left blank: the service's refusal comes back beside it
                if field.tag_name == "select":
                    field.find_element(By.XPATH, f'option[@value="{value}"]').click()
                elif field.get_attribute("type") == "date":
                    driver.execute_script("arguments[0].value = arguments[1]", field, value)
                else:
                    field.send_keys(value)
            for material in MATERIALS:
                upload = os.path.join(files.name, material + ".pdf")
                with open(upload, "wb") as file:
                    file.write(demo_pdf(material))
                driver.find_element(By.ID, "material-" + material).send_keys(upload)
            for material in MATERIALS:
                wait(driver).until(lambda d: d.find_element(By.NAME, f"materials[{material}]").get_attribute("value"))
            self.assertIn("已上传：construction-contract.pdf", text(driver))
            follow(driver, driver.find_element(By.ID, "apply-submit"))

            # refused: the page again, the message beside the phone field, what was typed and uploaded kept
            self.assertEqual((path(driver), status(driver)), (WIZARD, 422))
            self.assertEqual(driver.find_element(By.ID, "field-contactPhone-error").text, "请填写“联系电话”")
            self.assertEqual(driver.find_element(By.ID, "field-contactName").get_attribute("value"), FORM["contactName"])
            self.assertTrue(all(driver.find_element(By.NAME, f"materials[{m}]").get_attribute("value") for m in MATERIALS), "files kept")
            self.assertIsNone(overflow(driver), "the refused form at 375 px")
            driver.find_element(By.ID, "field-contactPhone").send_keys(FORM["contactPhone"])
            follow(driver, driver.find_element(By.ID, "apply-submit"))

            # submitted: the firm's page of the new application
            application = path(driver).rsplit("/", 1)[1]
            self.assertEqual((path(driver), status(driver)), (f"/firm/applications/{application}", 200))
            self.assertIn("已提交", text(driver))
            detail = self.api.get(f"/api/v1/applications/{application}", FIRM)
            self.assertEqual((detail["status"], detail["project"]["id"]), ("submitted", cls.project))
            self.assertEqual([item["code"] for item in detail["items"]], [item for _, item in REVIEWS])
            self.assertEqual({m["material"] for m in detail["materials"] if m["state"] == "submitted"}, set(MATERIALS))
            cls.application = application

    def test_1_console_accepts_reviews_and_issues(self):
        cls, app = type(self), self.application
        if not app:
            self.fail("no application: step 0 (the firm's wizard) failed")
        driver = self.browser(DESKTOP)
        link = f'a[href="/console/applications/{app}"]'
        with evidence(driver, "journey-1-console"):
            # the clerk: from the acceptance queue to the application, 受理
            sign_in(driver, CLERK)
            self.assertEqual(path(driver), "/console/acceptance")
            follow(driver, driver.find_element(By.CSS_SELECTOR, link))
            self.assertEqual(path(driver), f"/console/applications/{app}")
            self.assertIn("申请材料齐全", text(driver))
            follow(driver, driver.find_element(By.CSS_SELECTOR, 'form[action$="/acceptance"] button[name="decision"][value="accept"]'))
            self.assertEqual((path(driver), status(driver)), (f"/console/applications/{app}", 200))
            self.assertIn("已受理", text(driver))
            self.assertEqual(driver.find_elements(By.CSS_SELECTOR, 'button[name="decision"][value="accept"]'), [], "accepted once")
            self.assertEqual(self.api.status(app), "accepted")

            # two reviewers of the items' departments: each from its queue, 准予许可 of its own item
            for reviewer, item in REVIEWS:
                sign_in(driver, reviewer)
                self.assertEqual(path(driver), "/console/reviews")
                follow(driver, driver.find_element(By.CSS_SELECTOR, link))
                form = driver.find_element(By.XPATH, f'//form[contains(@class, "review")][.//input[@name="item"][@value="{item}"]]')
                opinion = f"符合法定条件（{reviewer}）"
                form.find_element(By.NAME, "opinion").send_keys(opinion)
                follow(driver, form.find_element(By.CSS_SELECTOR, 'button[name="decision"][value="approve"]'))
                self.assertEqual((path(driver), status(driver)), (f"/console/applications/{app}", 200))
                self.assertIn("意见：" + opinion, text(driver))
                self.assertEqual(driver.find_elements(By.CSS_SELECTOR, f'input[name="item"][value="{item}"]'), [], "its item decided")
            self.assertEqual(self.api.status(app), "approved")

            # the issuer: from its queue, 出证; the certificate appears on the page
            sign_in(driver, ISSUER)
            self.assertEqual(path(driver), "/console/issuance")
            follow(driver, driver.find_element(By.CSS_SELECTOR, link))
            follow(driver, driver.find_element(By.XPATH, '//form[contains(@action, "/issuance")]//button[normalize-space()="出证"]'))
            self.assertEqual((path(driver), status(driver)), (f"/console/applications/{app}", 200))
            certificate = self.api.get(f"/api/v1/applications/{app}", FIRM)["certificates"][0]
            page = text(driver)
            self.assertIn("已出证", page)
            self.assertIn(certificate["number"], page)
            self.assertTrue(driver.find_elements(By.CSS_SELECTOR, f'a[href="/certificates/{certificate["number"]}/image"]'), "its image")
            qr = driver.find_element(By.XPATH, '//a[normalize-space()="扫码核验页"]').get_attribute("href")
            cls.qr_path = "/v/" + qr.split("/v/", 1)[1]
            self.assertEqual(cls.qr_path, "/v/" + certificate["qr"].split("/v/", 1)[1], "the page links the certificate's QR address")
            cls.number = certificate["number"]

    def test_2_inspector_opens_the_qr_on_a_phone_and_records_an_inspection(self):
        cls = type(self)
        if not cls.qr_path:
            self.fail("no certificate: step 1 (the console) failed")
        driver = self.browser(PHONE)
        with evidence(driver, "journey-2-inspector"):
            # the phone allows its position: the page sends it with the record
            origin = BASE
            driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": origin, "permissions": ["geolocation"]})
            driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": 30.5838, "longitude": 114.2369, "accuracy": 10})
            sign_in(driver, INSPECTOR)
            self.assertEqual(path(driver), "/inspector/tasks")
            open_page(driver, cls.qr_path)
            banner = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "section.banner")))
            self.assertIn("ok", banner.get_attribute("class").split())
            self.assertEqual(banner.find_element(By.CLASS_NAME, "banner-word").text, "有效")
            self.assertIsNone(overflow(driver), "the QR page at 375 px")
            # its task on this certificate, from the QR page
            follow(driver, driver.find_element(By.XPATH, f'//section[h2="本证待办检查任务"]//a[@class="title"][normalize-space()="{TASK_TITLE}"]'))
            task = path(driver).rsplit("/", 1)[1]
            self.assertEqual(path(driver), f"/inspector/tasks/{task}")
            follow(driver, driver.find_element(By.XPATH, '//button[normalize-space()="领取任务"]'))
            self.assertIn("退回任务", text(driver))
            form = driver.find_element(By.CSS_SELECTOR, 'form[action$="/inspections"]')
            for choice in form.find_elements(By.CSS_SELECTOR, 'input[type="radio"][name^="checklist["][value="yes"]'):
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", choice)
                choice.click()
            form.find_element(By.CSS_SELECTOR, 'input[name="result"][value="pass"]').click()
            findings = "占绿范围与批准一致，保留树木已设围护"
            form.find_element(By.NAME, "findings").send_keys(findings)
            form.find_element(By.NAME, "place").send_keys("基坑东侧")
            wait(driver).until(lambda _: form.find_element(By.NAME, "latitude").get_attribute("value") == "30.583800")
            follow(driver, form.find_element(By.CSS_SELECTOR, 'button[type="submit"]'))
            self.assertEqual((path(driver), status(driver)), (f"/inspector/tasks/{task}", 200))
            self.assertIn("检查发现：" + findings, text(driver))
            self.assertIn("位置：基坑东侧", text(driver))
            self.assertIsNone(overflow(driver), "the task page at 375 px")
            detail = self.api.get(f"/api/v1/supervision/tasks/{task}", INSPECTOR)
            self.assertEqual((detail["task"]["status"], detail["task"]["result"]), ("closed", "pass"))
            self.assertEqual(len(detail["inspections"]), 1)
            location = detail["inspections"][0]["location"]
            self.assertEqual((location["description"], location["latitude"], location["longitude"]), ("基坑东侧", 30.5838, 114.2369))
            cls.inspected = True

    def test_3_firm_sees_the_inspection_on_its_timeline(self):
        if not type(self).inspected:
            self.fail("no inspection: step 2 (the inspector) failed")
        app = self.application
        driver = self.browser(DESKTOP)
        with evidence(driver, "journey-3-firm"):
            sign_in(driver, FIRM)
            self.assertEqual(path(driver), "/firm/applications")
            follow(driver, driver.find_element(By.CSS_SELECTOR, f'a[href="/firm/applications/{app}"]'))

            # the inspection reaches the timeline in its own transaction: reload until it is there
            def on_timeline(d):
                if "监管检查：" + TASK_TITLE in text(d):
                    return True
                d.refresh()
                loaded(d)
                return False
            wait(driver).until(on_timeline)
            timeline = driver.find_element(By.XPATH, '//section[h2="办理过程"]').text
            self.assertIn("结果：合格", timeline)
            self.assertIn("检查情况：占绿范围与批准一致，保留树木已设围护", timeline)
            self.assertIn("检查单位：", timeline)
            self.assertIn(type(self).number, text(driver))


class FormWithoutToken(unittest.TestCase):
    """A form whose CSRF field was taken out before it was posted: 403, and nothing changed."""

    def test_acceptance_without_its_token_is_refused(self):
        api = Api()
        app = api.submitted_application("崇仁路浏览器验收二号地块项目")
        driver = new_browser(DESKTOP)
        self.addCleanup(driver.quit)
        with evidence(driver, "csrf"):
            sign_in(driver, CLERK)
            open_page(driver, f"/console/applications/{app}")
            accept = 'button[name="decision"][value="accept"]'
            removed = driver.execute_script(
                "var form = document.querySelector(arguments[0]).form, field = form.querySelector('input[name=\"csrf\"]');"
                " if (!field) return false; field.remove(); return form.querySelector('input[name=\"csrf\"]') === null;", accept)
            self.assertTrue(removed, "the acceptance form had a csrf field, now removed")
            follow(driver, driver.find_element(By.CSS_SELECTOR, accept))
            self.assertEqual(status(driver), 403)
            self.assertIn("表单已过期或并非来自本站页面", text(driver))
            self.assertEqual(api.status(app), "submitted", "nothing stored")
            open_page(driver, f"/console/applications/{app}")
            self.assertTrue(driver.find_elements(By.CSS_SELECTOR, accept), "still to accept")
            self.assertNotIn("已受理", text(driver))


class InspectorPageScript(unittest.TestCase):
    """The inspector pages' script (Templates/pages/inspector-offline.mustache) stands above the
    forms it prepares: in a browser it must still give each form its Idempotency-Key (an offline
    record kept and resent without one would be stored twice) and ask for the phone's position."""

    @classmethod
    def setUpClass(cls):
        _, qr = demo_issued(Api())
        cls.driver = new_browser(PHONE)
        cls.addClassCleanup(cls.driver.quit)
        sign_in(cls.driver, "inspector-cg-qk")
        open_page(cls.driver, qr)
        cls.key = cls.driver.find_element(By.CSS_SELECTOR, 'form[data-offline] input[name="idempotencyKey"]').get_attribute("value")

    def test_the_scan_form_gets_its_idempotency_key(self):
        self.assertRegex(self.key, r"^web-[0-9a-f]{32}$", "the page's script gives the scan form its key as the page loads")


# ---- every main page at both widths -------------------------------------------------------------

class NightWorkJourney(unittest.TestCase):
    """A firm applies for night work on its phone, from 我的申请, for the demo's permitted site, and
    lands on the application's page with the rules' decision."""

    def test_firm_applies_for_night_work_on_a_phone(self):
        api = Api()
        issued, _ = demo_issued(api)
        project = issued["project"]["id"]
        driver = new_browser(PHONE)
        self.addCleanup(driver.quit)
        tomorrow = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date() + datetime.timedelta(days=1)
        with evidence(driver, "night-work"):
            sign_in(driver, FIRM)
            follow(driver, driver.find_element(By.CSS_SELECTOR, f'main a[href="{NIGHT_WORK}"]'))
            self.assertEqual((path(driver), status(driver)), (NIGHT_WORK, 200))
            self.assertIsNone(overflow(driver), "the night-work form at 375 px")
            driver.find_element(By.CSS_SELECTOR, f'#night-project option[value="{project}"]').click()
            for field, value in [("night-firstNight", tomorrow), ("night-lastNight", tomorrow + datetime.timedelta(days=1))]:
                driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, field), value.isoformat())
            driver.execute_script("arguments[0].value = '23:00'", driver.find_element(By.ID, "night-start"))
            driver.execute_script("arguments[0].value = '22:30'", driver.find_element(By.ID, "night-end"))
            reason = driver.find_element(By.CSS_SELECTOR, 'input[name="reason"][value="concrete-pour"]')
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", reason)
            reason.click()
            follow(driver, driver.find_element(By.ID, "night-work-submit"))

            # an end before the start, refused beside it, the dates kept
            self.assertEqual((path(driver), status(driver)), (NIGHT_WORK, 422))
            self.assertIn("早于开始时间", driver.find_element(By.ID, "night-end-error").text)
            self.assertEqual(driver.find_element(By.ID, "night-firstNight").get_attribute("value"), tomorrow.isoformat())
            self.assertIsNone(overflow(driver), "the refused form at 375 px")
            driver.execute_script("arguments[0].value = '04:00'", driver.find_element(By.ID, "night-end"))
            for field, value in [("night-measures", "泵车加装隔声罩，场界设隔声屏障"), ("night-responsibleName", "王建国"),
                                 ("night-responsiblePhone", "13707156628")]:
                driver.find_element(By.ID, field).send_keys(value)
            files = tempfile.TemporaryDirectory()
            self.addCleanup(files.cleanup)
            for material in ["night-work-justification", "noise-control-plan"]:
                upload = os.path.join(files.name, material + ".pdf")
                with open(upload, "wb") as file:
                    file.write(demo_pdf(material))
                driver.find_element(By.ID, "material-" + material).send_keys(upload)
                wait(driver).until(lambda d: d.find_element(By.NAME, f"materials[{material}]").get_attribute("value"))
            follow(driver, driver.find_element(By.ID, "night-work-submit"))

            # decided at once: the application's page with the rules' decision and its reason
            application = path(driver).rsplit("/", 1)[1]
            self.assertEqual((path(driver), status(driver)), (f"/firm/applications/{application}", 200))
            self.assertIn("智能审批：", text(driver))
            detail = api.get(f"/api/v1/applications/{application}", FIRM)
            self.assertEqual([item["code"] for item in detail["items"]], ["CG-YJSG"])
            self.assertEqual(detail["project"]["id"], project)
            screenshot(driver, "night-work-decided-phone")
            self.assertIsNone(overflow(driver), "the decided application at 375 px")


class PageScreenshots(unittest.TestCase):
    """Each main page at desktop and phone widths, over the demo data (崇仁's issued 一证制
    application, its certificate, the rectification follow-up in 硚口 city-management's queue)."""

    def test_pages_at_desktop_and_phone_widths(self):
        api = Api()
        issued, qr = demo_issued(api)
        tasks = api.get("/api/v1/supervision/tasks?limit=200", "inspector-cg-qk")
        task = next((t for t in tasks if t.get("applicationID") == issued["id"]), tasks[0])
        waste = next(a for a in api.get("/api/v1/applications?status=issued&limit=200", CLERK) if a.get("bundle") == "waste-disposal")
        pages = [  # (account or None, screenshot name, address)
            (None, "login", "/login"),
            (None, "public-verify", qr),
            (None, "home", "/"),
            (None, "certificate-lookup", "/public/certificates"),
            (None, "public-register", "/public/register"),
            (FIRM, "firm-applications", "/firm/applications"),
            (FIRM, "firm-application", f"/firm/applications/{issued['id']}"),
            (FIRM, "firm-projects", "/firm/projects"),
            (FIRM, "firm-project-new", "/firm/projects/new"),
            (FIRM, "firm-messages", f"/firm/applications/{issued['id']}/messages"),
            (FIRM, "firm-credit", "/firm/credit"),
            (FIRM, "apply-menu", WIZARD),
            (FIRM, "apply-form", f"{WIZARD}/form?project={issued['project']['id']}&items=YL-LDZY&items=CG-DLZY"),
            (FIRM, "stage-apply-menu", STAGE_WIZARD),
            (FIRM, "night-work-apply", f"{NIGHT_WORK}?project={issued['project']['id']}"),
            (FIRM, "waste-apply", "/firm/waste-disposal/apply"),
            (CLERK, "console-acceptance", "/console/acceptance"),
            (CLERK, "console-application", f"/console/applications/{issued['id']}"),
            (CLERK, "console-dashboard", "/console/dashboard"),
            (CLERK, "console-export", "/console/export"),
            ("reviewer-housing", "console-reviews", "/console/reviews"),
            (ISSUER, "console-issuance", "/console/issuance"),
            ("inspector-cg-qk", "inspector-tasks", "/inspector/tasks"),
            ("inspector-cg-qk", "inspector-task", f"/inspector/tasks/{task['id']}"),
            ("inspector-cg-qk", "inspector-verify", qr),
            (CLERK, "waste-trips", f"/waste-disposal/applications/{waste['id']}/trips"),
            ("inspector-cg-hc", "waste-confirmations", "/waste-disposal/confirmations"),
        ]
        driver = new_browser(DESKTOP)
        self.addCleanup(driver.quit)
        account = "-"
        for who, name, address in pages:
            with self.subTest(page=name, address=address), evidence(driver, "page-" + name):
                if who != account:
                    if who:
                        sign_in(driver, who)
                    else:
                        driver.delete_all_cookies()
                    account = who
                for width, size in [("desktop", DESKTOP), ("phone", PHONE)]:
                    resize(driver, size)
                    open_page(driver, address)
                    self.assertEqual(status(driver), 200, f"{name} ({address}) at {width} width")
                    if name == "inspector-verify":
                        self.assertTrue(driver.find_elements(By.CSS_SELECTOR, "section.banner.ok"), "the inspector's banner")
                    screenshot(driver, f"{name}-{width}")
                    if size == PHONE:
                        self.assertIsNone(overflow(driver), f"{name} ({address}) overflows at 375 px")


# ---- running ------------------------------------------------------------------------------------

def main():
    if not BASE:
        sys.exit("test_journeys: set SHENGUAN_BASE_URL to the running server")
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    # A test counts once however many of its subtests failed.
    failed = len({getattr(test, "test_case", test).id() for test, _ in result.failures + result.errors})
    passed = result.testsRun - failed - len(result.skipped)
    print(f"browser-tests: {passed} passed, {failed} failed")
    sys.exit(0 if result.wasSuccessful() and not result.skipped else 1)


if __name__ == "__main__":
    main()
