"""The closed loop in the browser: a resident orders on a phone, the station admin dispatches, the
team leader accepts and completes with hours, the resident rates, the volunteer sees hours and stars."""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import make_driver, Browser
from test_foundation import click_and_wait, login

# Demo county: 叶坪村 station's resident and admin; the leader of 瑞金市妇联志愿服务队, and the
# "volunteer" login, a member of that team (volunteer number ZY20250000018).
VOLUNTEER_NUMBER = "ZY20250000018"
TEAM = "瑞金市妇联志愿服务队"


def test_the_whole_loop(server, phone):
    # 点单: on a phone, from the menu, a need off the menu.
    login(phone, "resident")
    phone.open("/menu")
    assert phone.find_elements(By.CSS_SELECTOR, ".menu-item")
    click_and_wait(phone, "off-menu")
    Select(phone.find_element(By.ID, "f-category_id")).select_by_visible_text("理论政策宣讲")
    Select(phone.find_element(By.ID, "f-station_id")).select_by_visible_text("叶坪村新时代文明实践站")
    phone.find_element(By.ID, "f-details").send_keys("想给村里老人讲讲党史")
    phone.find_element(By.ID, "f-address").send_keys("叶坪村三组12号")
    phone.find_element(By.ID, "f-contact_name").send_keys("钟奶奶")
    phone.find_element(By.ID, "f-contact_phone").send_keys("13907970022")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390
    click_and_wait(phone, "order-submit")
    order_url = phone.current_url
    assert "/orders/" in order_url
    assert phone.find_element(By.ID, "order-status").text == "待派单"
    order_path = order_url.split(server)[1]

    # 派单: the station admin picks a team from the explained suggestions.
    admin = Browser(make_driver(), server)
    try:
        login(admin, "yeping")
        admin.open("/orders/queue")
        click_and_wait(admin, element=admin.find_element(By.PARTIAL_LINK_TEXT, phone.find_element(By.CSS_SELECTOR, ".crumbs").text))
        row = admin.find_element(By.XPATH, f"//section[@id='suggestions']//tr[td[contains(., '{TEAM}')]]")
        assert "公里" in row.text
        click_and_wait(admin, element=row.find_element(By.TAG_NAME, "button"))
        assert admin.find_element(By.ID, "order-status").text == "已派单"
        assert admin.errors == []
    finally:
        admin.driver.quit()

    # 接单 and service: the team leader accepts, starts and completes with hours.
    leader = Browser(make_driver(), server)
    try:
        login(leader, "leader")
        # The dispatch reaches the leader's inbox (the dispatcher runs every second here); the
        # notice leads to the order.
        notices = []
        for _ in range(40):
            leader.open("/inbox")
            notices = [n for n in leader.find_elements(By.CSS_SELECTOR, "#inbox li.unread .notice") if "已派给" in n.text]
            if notices:
                break
            time.sleep(0.25)
        assert notices, "the dispatch notice never arrived"
        # An unread notice is readable: its text against the page behind it, at least 4.5:1 (WCAG AA).
        ratio = leader.driver.execute_script(r"""
            function rgb(s) { return s.match(/[0-9.]+/g).slice(0, 3).map(Number); }
            function lum(c) { return c.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
                                      .reduce(function (a, v, i) { return a + v * [0.2126, 0.7152, 0.0722][i]; }, 0); }
            var el = arguments[0], fg = rgb(getComputedStyle(el).color), bg = null;
            for (var e = el; e && !bg; e = e.parentElement) {
              var b = getComputedStyle(e).backgroundColor;
              if (b && b !== "transparent" && !/rgba\(.*, 0\)$/.test(b)) { bg = rgb(b); }
            }
            var l1 = lum(fg), l2 = lum(bg || [255, 255, 255]);
            return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
        """, notices[0])
        assert ratio >= 4.5, ratio
        assert leader.find_element(By.ID, "unread-count").text.isdigit()
        click_and_wait(leader, element=notices[0])
        assert leader.current_url.endswith(order_path)
        click_and_wait(leader, "do-accept")
        assert leader.find_element(By.ID, "order-status").text == "已接单"
        click_and_wait(leader, "do-start")
        assert leader.find_element(By.ID, "order-status").text == "服务中"
        leader.find_element(By.XPATH, f"//label[contains(., '{VOLUNTEER_NUMBER}')]/input").click()
        volunteer_id = leader.find_element(By.XPATH, f"//label[contains(., '{VOLUNTEER_NUMBER}')]/input").get_attribute("value")
        leader.find_element(By.ID, f"hours-{volunteer_id}").send_keys("2.5")
        leader.find_element(By.ID, "complete-notes").send_keys("讲了两个红色故事")
        click_and_wait(leader, "do-complete")
        assert leader.find_element(By.ID, "order-status").text == "已完成"
        assert leader.errors == []
    finally:
        leader.driver.quit()

    # 评单: back on the phone, the resident rates five stars.
    phone.open(order_path)
    phone.find_element(By.ID, "score-5").click()
    phone.find_element(By.ID, "comment").send_keys("志愿者很耐心")
    click_and_wait(phone, "do-rate")
    assert phone.find_element(By.ID, "order-status").text == "已评价"
    timeline = phone.find_element(By.ID, "timeline").text
    for step in ["点单", "派单", "接单", "开始服务", "完成服务", "评价"]:
        assert step in timeline

    # 奖单: the volunteer sees the hours, the stars and the points.
    volunteer = Browser(make_driver(), server)
    try:
        login(volunteer, "volunteer")
        volunteer.open("/me/service")
        assert volunteer.find_element(By.ID, "my-hours").text == "2.5"
        assert volunteer.find_element(By.ID, "my-stars").text == "☆☆☆☆☆"
        assert volunteer.find_element(By.ID, "my-points").text == "30"
        assert "讲了两个红色故事" in volunteer.page_source
        assert volunteer.errors == []
    finally:
        volunteer.driver.quit()
