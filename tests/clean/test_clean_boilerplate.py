"""Each boilerplate family on small synthetic texts, and what must stay body."""

from __future__ import annotations

from dyad.model import BODY, BOILERPLATE, FOOTNOTE, HEADING, STANDFIRST, TITLE
from tests.clean.clean_helpers import article, dropped, kinds

BODY1 = ("The two leaders met in the capital on Tuesday to discuss trade, energy and security, "
         "officials said after the talks ended.")
BODY2 = ("Analysts said the meeting showed how far relations had moved since the war began, "
         "although few concrete agreements were signed.")
BODY3 = ("Trade between the two countries rose sharply last year, driven by energy exports and "
         "imports of cars and machinery.")
BODY4 = ("Officials on both sides described the talks as constructive and said further meetings "
         "would follow later in the year.")


def test_title_and_body_of_a_clean_article():
    art = article("Leaders meet for trade talks", BODY1, BODY2)
    k = kinds(art)
    assert k["Leaders meet for trade talks"][0] == TITLE
    assert k[BODY1][0] == BODY and k[BODY2][0] == BODY
    assert art.boilerplate_lines == []
    assert art.meta.title == "Leaders meet for trade talks"


def test_breadcrumb_gives_title_when_no_headline():
    art = article("Home / Analysis / Leaders meet for trade talks in the capital", BODY1, BODY2)
    assert kinds(art)["Home / Analysis / Leaders meet for trade talks in the capital"] == (BOILERPLATE, "breadcrumb")
    assert art.meta.title == "Leaders meet for trade talks in the capital"


def test_stray_token_and_photo_credit_in_header():
    art = article("Leaders meet for trade talks", "xq7TbR2mLpZ9", "Jane Smith AP/TT", BODY1, BODY2)
    k = kinds(art)
    assert k["xq7TbR2mLpZ9"] == (BOILERPLATE, "stray-token")
    assert k["Jane Smith AP/TT"] == (BOILERPLATE, "photo-credit")


def test_caption_with_slash_credit():
    cap = "The president arrives at the airport. Ivan Petrov / TASS"
    art = article("Leaders meet for trade talks", cap, BODY1, BODY2)
    assert kinds(art)[cap] == (BOILERPLATE, "photo-credit")


def test_credit_prefix_and_agency_first_forms():
    for cap in ("Photograph: Jane Doe/AP", "Image source, Getty Images",
                "The two leaders shake hands in the capital. REUTERS/John Smith"):
        art = article("Leaders meet for trade talks", BODY1, cap, BODY2, BODY3)
        assert kinds(art)[cap] == (BOILERPLATE, "photo-credit"), cap


def test_donation_banner_and_appeal_tail():
    art = article(
        "Support The Daily Planet!", "Leaders meet for trade talks", BODY1, BODY2, BODY3,
        "… we have a small favor to ask.",
        "As you may know, our newsroom has been under pressure for years and we rely on readers "
        "to keep going every single month.",
        "Continue", "Read more")
    k = kinds(art)
    assert k["Support The Daily Planet!"] == (BOILERPLATE, "donation")
    assert k["… we have a small favor to ask."] == (BOILERPLATE, "donation")
    assert k["Continue"][0] == BOILERPLATE and k["Read more"][0] == BOILERPLATE
    assert art.lines[-3].kind == BOILERPLATE  # the appeal paragraph in the tail
    assert art.meta.publisher == "The Daily Planet"


def test_republishing_notice_bio_and_tail_fragment():
    art = article(
        "Leaders meet for trade talks", BODY1, BODY2, BODY3, BODY4,
        "Jane Doe, Lecturer in Politics, University of Somewhere",
        "This article is republished from The Example Review under a Creative Commons license. "
        "Read the original article.",
        "Dr Jane Doe is a lecturer in the School of Politics, University of Somewhere. Her research "
        "focuses on Eurasian security and she is a member of",
        "ASEES.")
    k = kinds(art)
    assert k["Jane Doe, Lecturer in Politics, University of Somewhere"] == (BOILERPLATE, "author-bio")
    assert k["ASEES."][0] == BOILERPLATE
    assert all(k[b][0] == BODY for b in (BODY1, BODY2, BODY3, BODY4))
    assert art.meta.publisher == "The Example Review"
    assert art.meta.authors == ["Jane Doe"]


def test_comment_widget_and_related_links():
    art = article("Leaders meet for trade talks", BODY1, BODY2, BODY3,
                  "Notify of\nInline Feedbacks\nView all comments", "Stay Connected", "Latest Articles",
                  "Would love your thoughts, please comment.x")
    assert {"Notify of", "Inline Feedbacks", "View all comments", "Stay Connected", "Latest Articles",
            "Would love your thoughts, please comment.x"} <= dropped(art)
    assert art.meta.publisher is None


def test_navigation_link_list_and_contents():
    art = article("Leaders meet for trade talks", "Contents", "- [The first part](#)\n- [The second part](#)",
                  BODY1, BODY2)
    k = kinds(art)
    assert k["Contents"][0] == BOILERPLATE
    assert k["- [The first part](#)"] == (BOILERPLATE, "nav-link-list")
    assert k["- [The second part](#)"] == (BOILERPLATE, "nav-link-list")


def test_weather_widget_date_is_not_published():
    art = article("31 C\nLondon\nMonday, March 4, 2024", "Leaders meet for trade talks", BODY1, BODY2)
    k = kinds(art)
    assert k["31 C"] == (BOILERPLATE, "weather-widget")
    assert k["London"] == (BOILERPLATE, "weather-widget")
    assert k["Monday, March 4, 2024"] == (BOILERPLATE, "weather-widget")
    assert art.meta.title == "Leaders meet for trade talks"
    assert art.meta.published is None
    assert "upper bound" in art.meta.published_reason


def test_duplicate_title_keeps_first():
    art = article("Leaders meet for trade talks", "Leaders meet for trade talks", BODY1, BODY2)
    assert art.lines[0].kind == TITLE
    assert (art.lines[2].kind, art.lines[2].reason) == (BOILERPLATE, "duplicate-line")


def test_foreign_script_chrome():
    art = article("Leaders meet for trade talks", BODY1, BODY2, BODY3, "关于作者", "相关出版物")
    assert kinds(art)["关于作者"] == (BOILERPLATE, "foreign-script-chrome")
    assert kinds(art)["相关出版物"] == (BOILERPLATE, "foreign-script-chrome")


def test_headings_footnotes_and_bullets_are_kept():
    bullet = "  • The first point is that trade has grown quickly, which both sides welcomed in public."
    art = article("Leaders meet for trade talks", BODY1, "What happened next?", BODY2, bullet, BODY3,
                  "[1] Document list in Russian on the official website.")
    k = kinds(art)
    assert k["What happened next?"][0] == HEADING
    assert k[bullet.strip()][0] == BODY
    assert k["[1] Document list in Russian on the official website."][0] == FOOTNOTE


def test_standfirst_set_off_by_chrome():
    sf = "The forum made it clear that one side is becoming the junior partner."
    art = article("Leaders meet for trade talks", "By Jane Doe and John Roe", sf, "Contents",
                  "- [Part one](#)", BODY1, BODY2)
    assert kinds(art)[sf][0] == STANDFIRST
    assert art.meta.standfirst == sf
    assert art.meta.authors == ["Jane Doe", "John Roe"]


def test_header_chrome_before_body():
    art = article("Analysis", "Leaders meet for trade talks", "5 min read", BODY1, BODY2)
    k = kinds(art)
    assert k["Analysis"][0] == BOILERPLATE
    assert k["5 min read"][0] == BOILERPLATE
    assert art.meta.title == "Leaders meet for trade talks"


def test_dateline_article_without_headline():
    art = article("RIGA, Latvia — " + BODY1, BODY2, sep="\n")
    assert art.meta.title is None
    assert art.meta.dateline == "RIGA, Latvia —"
    assert art.boilerplate_lines == []


def test_body_quotes_with_appeal_words_stay_body():
    quote = ('"We need your help and we ask people to support our work in these communities," the '
             'charity director said on Monday, adding that donations had fallen sharply since the summer.')
    art = article("Charity warns of funding gap", BODY1, quote, BODY2, BODY3, BODY4)
    assert art.boilerplate_lines == []


def test_body_sentence_about_a_professor_stays_body():
    line = "John Smith is a professor of economics at the university and has advised the government."
    art = article("Economists split on rates", BODY1, BODY2, line, BODY3)
    assert art.boilerplate_lines == []


def test_reporting_credit_and_trust_line():
    art = article("Leaders meet for trade talks", BODY1, BODY2, BODY3,
                  "Reporting by Jane Doe; Editing by John Roe")
    assert kinds(art)["Reporting by Jane Doe; Editing by John Roe"][0] == BOILERPLATE


def test_line_text_is_verbatim():
    raw = "  Leaders meet for trade talks  \r\n\r\n" + BODY1 + " \r\n"
    art = article(raw)
    assert art.lines[0].text == "  Leaders meet for trade talks  "
    assert art.lines[2].text == BODY1 + " "
    assert [ln.number for ln in art.lines] == list(range(1, len(art.lines) + 1))


def test_mid_article_promo_does_not_swallow_the_rest():
    he = ("He said the two sides had agreed to expand cooperation in energy and finance, and that "
          "we should expect more visits in the coming months.")
    their = ("Their talks also covered the war, on which the two sides repeated familiar positions "
             "and called for negotiations without preconditions.")
    art = article("Leaders meet for trade talks", BODY1, BODY2, BODY3,
                  "Sign up for our weekly newsletter on Asia", he, their, BODY4)
    k = kinds(art)
    assert k["Sign up for our weekly newsletter on Asia"][0] == BOILERPLATE
    assert k[he][0] == BODY and k[their][0] == BODY and k[BODY4][0] == BODY


def test_wire_story_header_and_footer():
    art = article(
        "Leaders meet for trade talks", "By Jane Doe and John Roe\nMay 16, 2024 1:08 AM GMT+3 Updated 2 hours ago",
        "BEIJING, May 16 (Reuters) - " + BODY1, BODY2,
        "The two leaders shake hands in Beijing, May 16, 2024. Sputnik/Ivan Petrov/Pool via REUTERS",
        BODY3, "Reporting by Jane Doe; Editing by John Roe\nOur Standards: The Trust Principles.")
    k = kinds(art)
    assert k["By Jane Doe and John Roe"] == (BOILERPLATE, "byline")
    assert k["May 16, 2024 1:08 AM GMT+3 Updated 2 hours ago"] == (BOILERPLATE, "date-line")
    assert k["Our Standards: The Trust Principles."][0] == BOILERPLATE
    assert art.meta.published == "2024-05-16"
    assert art.meta.publisher == "Reuters"
    assert art.meta.dateline == "BEIJING, May 16 (Reuters) -"
    assert art.meta.authors == ["Jane Doe", "John Roe"]


def test_end_block_header_lines_join_the_tail():
    art = article("Leaders meet for trade talks", BODY1, BODY2, BODY3, BODY4, "Authors", "Guest Author",
                  "Jane Doe is a senior fellow at the Example Institute, where she studies Eurasian security.")
    assert {"Authors", "Guest Author"} <= dropped(art)
    assert art.meta.authors == ["Jane Doe"]


def test_headline_with_site_suffix_is_not_a_breadcrumb():
    art = article("Leaders meet for trade talks | Analysis | Example Site", BODY1, BODY2)
    assert art.lines[0].kind == TITLE


def test_site_name_line_above_the_headline_is_not_the_title():
    art = article("The Daily Planet", "Support The Daily Planet!", "Leaders meet for trade talks", BODY1, BODY2)
    assert art.meta.title == "Leaders meet for trade talks"
    assert kinds(art)["The Daily Planet"] == (BOILERPLATE, "masthead")
