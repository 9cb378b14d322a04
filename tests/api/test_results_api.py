"""Results for organizers and HR through HTTP, for every role: the unit ranking's drill-down, 未参考名单
(JSON and xlsx), results.xlsx / results.csv and the year's 学法档案; and what participants see of the
person ranking. HR and organizers of one town never see or export another town's people."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from api.views.exams import ParticipantLeaderboardPagination
from quizzes import leaderboards
from quizzes.models import Attempt, Exam
from quizzes.reporting import mask_name
from quizzes.services.attempts import answer_save, attempt_start, attempt_submit
from quizzes.services.exams import exam_update
from tests.conftest import PASSWORD, app_login, make_exam

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://evil.example","点我")'


def sit(exam: Exam, user: User, *, correct: int) -> Attempt:
    """Answer the first ``correct`` questions of the paper right, the rest not at all, and submit."""
    attempt, _ = attempt_start(exam=exam, user=user)
    for seq, aq in enumerate(attempt.paper.order_by("position")[:correct], start=1):
        answer_save(attempt_id=attempt.pk, user=user, question_id=aq.question_id, choices=aq.answer, seq=seq)
    return attempt_submit(attempt_id=attempt.pk, user=user)


def make(username: str, real_name: str, unit, role=User.Role.PARTICIPANT, **extra) -> User:
    user = user_create(username=username, password=PASSWORD, real_name=real_name, unit=unit, role=role)
    for name, value in extra.items():
        setattr(user, name, value)
    user.save()
    return user


@pytest.fixture
def world(exam, people, tree):
    dave = make("13800000004", INJECTION, tree.town_b)
    make("13700000009", "路人甲", tree.town_b, is_on_roster=False)  # self-signed-up: never on a not-sat list
    hr_a = make("hr_a", "周人事", tree.town_a, User.Role.HR)
    sit(exam, people.alice, correct=7)  # 100
    sit(exam, people.bob, correct=3)  # 30
    sit(exam, dave, correct=5)  # 70
    return {"exam": exam, "dave": dave, "hr_a": hr_a}


STAFF_URLS = [
    "/api/v1/exams/{exam}/results",
    "/api/v1/exams/{exam}/absentees",
    "/api/v1/exams/{exam}/absentees.xlsx",
    "/api/v1/exams/{exam}/results.xlsx",
    "/api/v1/exams/{exam}/results.csv",
    "/api/v1/exams/{exam}/leaderboard/units/{town_a}/people",
    "/api/v1/learning-records.xlsx?year=2026",
]


def _url(template, world, tree):
    return template.format(exam=world["exam"].pk, town_a=tree.town_a.pk)


def test_participants_may_not_read_result_lists_or_exports(world, people, tree):
    alice = app_login(people.alice.username)
    for template in STAFF_URLS:
        response = alice.get(_url(template, world, tree))
        assert response.status_code == 403, template
        assert response.json()["error"]["code"] == "permission_denied"


def test_staff_of_another_town_get_404_for_its_units(world, people, tree):
    for username, other in ((people.hr_b.username, tree.town_a), (people.organizer_a.username, tree.town_b)):
        client = app_login(username)
        exam = world["exam"].pk
        for url in (
            f"/api/v1/exams/{exam}/results?unit={other.pk}",
            f"/api/v1/exams/{exam}/absentees?unit={other.pk}",
            f"/api/v1/exams/{exam}/absentees.xlsx?unit={other.pk}",
            f"/api/v1/exams/{exam}/results.xlsx?unit={other.pk}",
            f"/api/v1/exams/{exam}/results.csv?unit={other.pk}",
            f"/api/v1/exams/{exam}/leaderboard/units/{other.pk}/people",
            f"/api/v1/learning-records.xlsx?year=2026&unit={other.pk}",
        ):
            response = client.get(url)
            assert response.status_code == 404, (username, url)
            assert response.json()["error"]["code"] == "not_found"


def test_absentees_are_the_roster_of_the_scope_without_a_finished_attempt(world, people, tree):
    exam = world["exam"].pk
    city = app_login(people.organizer.username).get(f"/api/v1/exams/{exam}/absentees").json()
    assert [(r["name"], r["unit_name"], r["username"]) for r in city["results"]] == [("王五", "南关镇", "13800000003")]
    assert city["count"] == 1 and set(city["results"][0]) == {"user_id", "name", "username", "phone", "unit_name"}
    town_a = app_login(world["hr_a"].username).get(f"/api/v1/exams/{exam}/absentees").json()
    assert [r["name"] for r in town_a["results"]] == ["王五"]
    town_b = app_login(people.hr_b.username).get(f"/api/v1/exams/{exam}/absentees").json()
    assert town_b["results"] == [] and town_b["count"] == 0  # bob and dave sat; 路人甲 is not on the roster
    office = app_login(people.organizer_a.username).get(f"/api/v1/exams/{exam}/absentees?unit={tree.town_a_office.pk}")
    assert office.json()["count"] == 0

    sheet = app_login(people.organizer.username).get(f"/api/v1/exams/{exam}/absentees.xlsx")
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(_workbook(sheet).active.values)
    assert rows == [("单位", "姓名", "账号", "手机号"), ("南关镇", "王五", "13800000003", None)]


def test_drill_down_lists_a_units_people_with_their_result_or_not_sat(world, people, tree):
    exam = world["exam"].pk
    for username in (people.organizer.username, people.organizer_a.username, world["hr_a"].username):
        page = app_login(username).get(f"/api/v1/exams/{exam}/leaderboard/units/{tree.town_a.pk}/people").json()
        rows = {r["name"]: r for r in page["results"]}
        assert set(rows) == {"张三", "王五"}
        assert (rows["张三"]["status"], rows["张三"]["score"], rows["张三"]["passed"]) == ("sat", "100.00", True)
        assert (rows["王五"]["status"], rows["王五"]["status_label"], rows["王五"]["score"]) == (
            "absent",
            "未参考",
            None,
        )


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _csv(response) -> str:
    return _body(response).decode("utf-8")


def test_results_csv_has_a_bom_crlf_and_no_formulas_and_only_the_readers_people(world, people):
    exam = world["exam"].pk
    response = app_login(people.organizer.username).get(f"/api/v1/exams/{exam}/results.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = _csv(response)
    assert text.startswith(
        "\ufeff单位,姓名,账号,成绩,等级,是否合格,用时,开始时间,交卷时间,作答次数,排名,补考,切屏次数\r\n"
    )
    assert text.count("\r\n") == 4 and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r[1], r[3], r[4], r[5], r[9], r[10]) for r in rows[1:]] == [
        ("张三", "100.00", "优秀", "是", "1", "1"),
        ("'" + INJECTION, "70.00", "合格", "是", "1", "2"),
        ("李四", "30.00", "不合格", "否", "1", "3"),
    ]

    hr_b = _csv(app_login(people.hr_b.username).get(f"/api/v1/exams/{exam}/results.csv"))
    assert "张三" not in hr_b and "李四" in hr_b  # another town's people never leave the server
    passed = _csv(app_login(people.organizer.username).get(f"/api/v1/exams/{exam}/results.csv?passed=true"))
    assert passed.count("\r\n") == 3 and "张三" in passed and "李四" not in passed
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    later = _csv(
        app_login(people.organizer.username).get(f"/api/v1/exams/{exam}/results.csv?submitted_from={tomorrow}")
    )
    assert later.count("\r\n") == 1  # the header only


def test_results_list_is_the_csv_as_json_paged_with_the_same_filters_and_scope(world, people, tree):
    exam = world["exam"].pk
    city = app_login(people.organizer.username)
    body = city.get(f"/api/v1/exams/{exam}/results").json()
    assert body["count"] == 3
    assert [(r["name"], r["unit_name"], r["score"], r["grade"], r["passed"], r["rank"]) for r in body["results"]] == [
        ("张三", "南关镇党政办", "100.00", "优秀", True, 1),
        (INJECTION, "北岭镇", "70.00", "合格", True, 2),  # JSON is not a spreadsheet: no apostrophe
        ("李四", "北岭镇", "30.00", "不合格", False, 3),
    ]
    second = city.get(f"/api/v1/exams/{exam}/results", {"page_size": 2, "page": 2}).json()
    assert [(r["name"], r["rank"]) for r in second["results"]] == [("李四", 3)]  # the global rank, not the page's
    failed = city.get(f"/api/v1/exams/{exam}/results", {"passed": "false"}).json()["results"]
    assert [r["name"] for r in failed] == ["李四"]
    town_a = city.get(f"/api/v1/exams/{exam}/results", {"unit": tree.town_a.pk}).json()["results"]
    assert [r["name"] for r in town_a] == ["张三"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert city.get(f"/api/v1/exams/{exam}/results", {"submitted_from": tomorrow}).json()["count"] == 0
    hr_b = app_login(people.hr_b.username).get(f"/api/v1/exams/{exam}/results").json()["results"]
    assert [r["name"] for r in hr_b] == [INJECTION, "李四"]  # another town's people never leave the server


def _workbook(response) -> Any:
    assert response.status_code == 200, response.content
    return openpyxl.load_workbook(io.BytesIO(_body(response)))


def test_results_xlsx_sheets_text_cells_and_scope(world, people, tree):
    exam = world["exam"].pk
    book = _workbook(app_login(people.organizer.username).get(f"/api/v1/exams/{exam}/results.xlsx?answers=1"))
    assert book.sheetnames == ["成绩", "单位汇总", "作答明细"]
    results = book["成绩"]
    assert [c.value for c in results[1]][:3] == ["单位", "姓名", "账号"]
    injected = results.cell(row=3, column=2)
    assert injected.value == "'" + INJECTION and injected.data_type == "s"  # text, not a formula
    summary = list(book["单位汇总"].values)
    assert summary[0][:6] == ("排名", "单位", "应考人数", "参考人数", "参考人次", "参考率（%）")
    assert {row[1]: row[2:5] for row in summary[1:]}["南关镇"] == (2, 1, 1)
    answers = list(book["作答明细"].values)
    assert len(answers) == 1 + 3 * 7  # three people, seven questions each

    hr_b = _workbook(app_login(people.hr_b.username).get(f"/api/v1/exams/{exam}/results.xlsx"))
    assert hr_b.sheetnames == ["成绩", "单位汇总"]
    assert [row[1] for row in list(hr_b["成绩"].values)[1:]] == ["'" + INJECTION, "李四"]


def test_results_xlsx_takes_the_unit_sheets_headcounts_from_the_cache(world, people):
    """The unit summary's 应考 are the cached headcounts the unit leaderboard keeps (quizzes.caching): a download
    does not count the roster again while neither the roster nor the audience has changed."""
    client = app_login(people.organizer.username)
    path = f"/api/v1/exams/{world['exam'].pk}/results.xlsx"
    first = list(_workbook(client.get(path))["单位汇总"].values)
    with CaptureQueriesContext(connection) as again:
        assert list(_workbook(client.get(path))["单位汇总"].values) == first
    assert not [q["sql"] for q in again if 'COUNT("accounts_user"."id") AS "n"' in q["sql"]]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_results_xlsx_converts_in_libreoffice_with_the_chinese_intact(world, people, tmp_path):
    response = app_login(people.organizer.username).get(f"/api/v1/exams/{world['exam'].pk}/results.xlsx")
    source = tmp_path / "results.xlsx"
    source.write_bytes(_body(response))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = (tmp_path / "results.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("单位,姓名,账号,成绩,等级,是否合格")
    assert "南关镇党政办,张三,13800000001,100" in text and "优秀" in text


def test_learning_records_one_row_per_roster_person_with_the_years_conclusion(world, people, tree):
    year = timezone.localtime(world["exam"].opens_at).year
    book = _workbook(app_login(people.organizer.username).get(f"/api/v1/learning-records.xlsx?year={year}"))
    rows = list(book.active.values)
    title = world["exam"].title
    assert rows[0] == ("单位", "姓名", "账号", f"{title} 成绩", f"{title} 是否合格", "年度结论")
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"张三", "王五", "李四", "'" + INJECTION}  # roster participants only
    assert by_name["张三"][3:] == (100, "是", "合格")
    assert by_name["王五"][3:] == ("未参考", None, "未完成")  # the exam is still open
    assert by_name["李四"][3:] == (30, "否", "未完成")  # may not retake, but the window is open

    Exam.objects.filter(pk=world["exam"].pk).update(status=Exam.Status.CLOSED)
    closed = _workbook(app_login(world["hr_a"].username).get(f"/api/v1/learning-records.xlsx?year={year}"))
    assert {row[1]: row[5] for row in list(closed.active.values)[1:]} == {"张三": "合格", "王五": "不合格"}
    empty = _workbook(app_login(people.organizer.username).get(f"/api/v1/learning-records.xlsx?year={year - 1}"))
    assert next(iter(empty.active.values)) == ("单位", "姓名", "账号", "年度结论")
    assert {row[3] for row in list(empty.active.values)[1:]} == {"无应考考试"}


def test_participants_see_the_top_rows_with_names_as_the_exam_says(world, people, monkeypatch):
    exam = world["exam"]
    monkeypatch.setattr(leaderboards, "PARTICIPANT_TOP", 2)
    monkeypatch.setattr(ParticipantLeaderboardPagination, "max_page_size", 2)
    bob = app_login(people.bob.username)
    board = bob.get(f"/api/v1/exams/{exam.pk}/leaderboard/people?page_size=50").json()
    assert board["count"] == 2 and board["next"] is None  # top 2 only, page size capped
    assert board["ranked_count"] == 3  # but three are ranked: bob is "3rd of 3", not "of 2"
    assert [(r["rank"], r["name"]) for r in board["results"]] == [(1, "张*"), (2, mask_name(INJECTION))]
    assert board["me"]["name"] == "李四" and board["me"]["rank"] == 3  # their own row, in full
    assert all("13800" not in str(row) for row in board["results"])  # never an account name

    # the organizer changes the privacy setting (through the service: the exam as the access checks cache it,
    # caching.cached_exam, follows at once)
    exam_update(exam=exam, leaderboard_names=Exam.LeaderboardNames.UNIT_ONLY)
    board = bob.get(f"/api/v1/exams/{exam.pk}/leaderboard/people").json()
    assert [(r["name"], r["unit_name"]) for r in board["results"]] == [(None, "南关镇党政办"), (None, "北岭镇")]
    exam_update(exam=exam, leaderboard_names=Exam.LeaderboardNames.FULL)
    board = bob.get(f"/api/v1/exams/{exam.pk}/leaderboard/people").json()
    assert [r["name"] for r in board["results"]] == ["张三", INJECTION]

    staff = app_login(people.organizer.username).get(f"/api/v1/exams/{exam.pk}/leaderboard/people").json()
    assert staff["count"] == 3 and staff["ranked_count"] == 3 and next(r["name"] for r in staff["results"]) == "张三"


def test_new_exams_default_to_masked_names_and_open_quizzes_to_full(tree, bank):
    assert make_exam(unit=tree.city, bank=bank, audience=[tree.city]).leaderboard_names == "masked"
    assert make_exam(unit=tree.city, bank=bank, is_public=True).leaderboard_names == "full"


def test_unit_ranking_of_an_open_quiz_counts_people_and_attempts(tree, bank, people):
    quiz = make_exam(unit=tree.city, bank=bank, is_public=True, max_attempts=0)
    walk_in = make("13700000001", "吴六", tree.town_b, is_on_roster=False)
    sit(quiz, people.alice, correct=7)
    sit(quiz, people.alice, correct=2)
    sit(quiz, walk_in, correct=6)
    board = app_login(people.bob.username).get(f"/api/v1/exams/{quiz.pk}/leaderboard/units").json()
    assert board["kind"] == "open" and board["excellent_percent"] == "90.00"
    rows = {r["unit_name"]: r for r in board["results"]}
    assert (rows["南关镇"]["participants"], rows["南关镇"]["attempts"]) == (1, 2)
    assert (rows["北岭镇"]["participants"], rows["北岭镇"]["attempts"]) == (1, 1)  # the public participant counts
    assert rows["南关镇"]["headcount"] is None and rows["南关镇"]["participation_rate"] is None
    assert rows["南关镇"]["excellent_rate"] == "100.00" and rows["北岭镇"]["highest_score"] == "85.00"
    assert rows["市司法局"]["rank"] == 3 and rows["市司法局"]["mean_score"] is None


def test_unit_ranking_ties_share_a_rank(tree, bank, people):
    """Four units: one ahead, two equal on every key, one behind: ranks 1, 2, 2, 4."""
    exam = make_exam(unit=tree.city, bank=bank, audience=[tree.city])
    town_c = tree.town_b.__class__.objects.create(
        name="东坡镇", parent=tree.city, path=tree.city.path + "0099", depth=1
    )
    sit(exam, make("c1", "东一", town_c), correct=5)  # 70
    sit(exam, people.bob, correct=5)  # 70: 北岭镇 equals 东坡镇 (one person each, 70)
    sit(exam, people.alice, correct=7)
    sit(exam, people.carol, correct=7)  # 南关镇: both sat, 100
    board = app_login(people.organizer.username).get(f"/api/v1/exams/{exam.pk}/leaderboard/units").json()
    assert [(r["rank"], r["unit_name"]) for r in board["results"]] == [
        (1, "南关镇"),
        (2, "北岭镇"),
        (2, "东坡镇"),
        (4, "市司法局"),
    ]
    by_mean = app_login(people.hr_b.username).get(f"/api/v1/exams/{exam.pk}/leaderboard/units?order=excellent_rate")
    assert by_mean.json()["order"] == "excellent_rate"
