"""简体/繁體 and 适老化 mode on the portal."""

from __future__ import annotations

from django.urls import reverse


def test_traditional_characters_are_served_to_who_chose_them(client, cast):
    response = client.get(reverse("portal:set_script", args=["hant"]) + "?next=/guide/")
    assert response.status_code == 302 and response["Location"] == "/guide/"
    text = client.get("/guide/").content.decode()
    assert 'lang="zh-hant"' in text
    assert "政府信息公開指南" in text and "政府信息公开指南" not in text
    assert "測試縣甲局" in text
    # The back office stays as it is.
    client.force_login(cast.officer_a)
    assert "测试县甲局" in client.get(reverse("office:home")).content.decode()
    client.get(reverse("portal:set_script", args=["hans"]))
    assert "政府信息公开指南" in client.get("/guide/").content.decode()


def test_senior_friendly_mode_is_switched_by_the_visitor(client, cast):
    assert "care-mode" not in client.get("/").content.decode()
    client.get(reverse("portal:set_care", args=["on"]) + "?next=/")
    text = client.get("/").content.decode()
    assert 'class="portal care-mode"' in text and "标准模式" in text
    client.get(reverse("portal:set_care", args=["off"]))
    assert "care-mode" not in client.get("/").content.decode()


def test_the_switches_never_send_a_visitor_elsewhere(client, cast):
    for target in ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]:
        response = client.get(reverse("portal:set_care", args=["on"]), {"next": target})
        assert response["Location"] == "/"
