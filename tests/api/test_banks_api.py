"""Banks through the API: rename, the bank's tags, and the question list's filters (the console's bank pages)."""

from __future__ import annotations

from quizzes.models import QuestionBank
from quizzes.selectors import bank_tags
from quizzes.services.banks import bank_create, question_create
from tests.conftest import app_login, make_bank


def test_an_organizer_renames_a_bank_and_changes_its_description(tree, people):
    bank = make_bank(tree.town_a, name="南关题库")
    client = app_login(people.organizer_a.username)

    renamed = client.patch(f"/api/v1/banks/{bank.pk}/", {"name": "南关镇民法典题库"}, format="json")

    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["name"] == "南关镇民法典题库" and renamed.json()["question_count"] == 7
    described = client.patch(f"/api/v1/banks/{bank.pk}/", {"description": "2026 年度"}, format="json")
    assert described.json()["name"] == "南关镇民法典题库" and described.json()["description"] == "2026 年度"
    bank.refresh_from_db()
    assert (bank.name, bank.description) == ("南关镇民法典题库", "2026 年度")
    assert client.patch(f"/api/v1/banks/{bank.pk}/", {"name": "南关镇民法典题库"}, format="json").status_code == 200


def test_a_rename_to_another_banks_name_in_the_unit_is_refused_and_changes_nothing(tree, people):
    bank = make_bank(tree.town_a, name="南关题库")
    bank_create(name="宪法题库", unit=tree.town_a)
    bank_create(name="北岭题库", unit=tree.town_b)
    client = app_login(people.organizer_a.username)

    refused = client.patch(f"/api/v1/banks/{bank.pk}/", {"name": "宪法题库", "description": "x"}, format="json")

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "bank_name_taken"
    assert refused.json()["error"]["fields"]["name"] == ["本单位已有名为“宪法题库”的题库。"]
    bank.refresh_from_db()
    assert (bank.name, bank.description) == ("南关题库", "")
    # another unit's bank of that name is no conflict
    assert client.patch(f"/api/v1/banks/{bank.pk}/", {"name": "北岭题库"}, format="json").status_code == 200


def test_a_rename_is_validated_and_scoped(tree, people, bank):
    client = app_login(people.organizer_a.username)
    assert client.patch(f"/api/v1/banks/{bank.pk}/", {"name": "x"}, format="json").status_code == 404  # the city's
    own = make_bank(tree.town_a, name="南关题库")
    blank = client.patch(f"/api/v1/banks/{own.pk}/", {"name": ""}, format="json")
    assert blank.status_code == 400 and "name" in blank.json()["error"]["fields"]
    too_long = client.patch(f"/api/v1/banks/{own.pk}/", {"name": "题" * 101}, format="json")
    assert too_long.status_code == 400 and "name" in too_long.json()["error"]["fields"]
    assert QuestionBank.objects.get(pk=own.pk).name == "南关题库"


def test_the_banks_tags_with_their_question_counts(tree, people, bank):
    own = make_bank(tree.town_a, name="南关题库")  # 7 questions tagged 总则编
    question_create(bank=own, kind="judge", stem="宪法是根本法。", answer=["A"], tags=["宪法", "总则编"])
    question_create(bank=bank, kind="judge", stem="别的题库。", answer=["A"], tags=["别的标签"])
    client = app_login(people.organizer_a.username)

    tags = client.get(f"/api/v1/banks/{own.pk}/tags/")

    assert tags.status_code == 200
    assert tags.json() == [{"name": "宪法", "question_count": 1}, {"name": "总则编", "question_count": 8}]
    assert client.get(f"/api/v1/banks/{bank.pk}/tags/").status_code == 404


def test_bank_tags_is_one_query_at_any_size(tree, django_assert_num_queries):
    bank = bank_create(name="大题库", unit=tree.city)
    for i in range(30):
        question_create(bank=bank, kind="judge", stem=f"第{i}题。", answer=["A"], tags=[f"标签{i % 7}", "共同"])
    with django_assert_num_queries(1):
        rows = [(t.name, t.question_count) for t in bank_tags(bank=bank)]  # type: ignore[attr-defined]
    assert rows[0] == ("共同", 30) and len(rows) == 8


def test_the_question_list_filters_combine_and_page(tree, people):
    bank = make_bank(tree.town_a, name="南关题库")
    question_create(
        bank=bank,
        kind="single",
        stem="宪法规定的国家根本任务是（ ）。",
        options=["甲", "乙"],
        answer=["A"],
        difficulty=5,
        tags=["宪法"],
        is_active=False,
    )
    client = app_login(people.organizer_a.username)
    url = f"/api/v1/banks/{bank.pk}/questions/"

    def stems(**params):
        body = client.get(url, params).json()
        return body["count"], [q["stem"] for q in body["results"]]

    assert stems(kind="judge")[0] == 2
    assert stems(kind="single", difficulty=5) == (1, ["宪法规定的国家根本任务是（ ）。"])
    assert stems(tag="宪法")[0] == 1 and stems(tag="总则编")[0] == 7
    assert stems(search="民事")[0] == 3
    assert stems(is_active="false") == (1, ["宪法规定的国家根本任务是（ ）。"])
    assert stems(is_active="true", kind="single")[0] == 3
    count, page = stems(page_size=3, page=3)
    assert count == 8 and len(page) == 2
