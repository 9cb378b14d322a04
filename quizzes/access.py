"""What a person may act on: each ``access_*`` helper fetches it or raises a domain error.

Views call one of these instead of deciding scopes themselves (Zulip's ``access_*`` pattern). Something
that exists but lies outside the requester's scope raises the same ``*NotFound`` as something that
does not exist, so that ids cannot be probed. The scopes themselves come from ``accounts.scopes`` and
``selectors``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts import scopes
from accounts.models import Unit, User

from . import caching, leaderboards, selectors, selectors_certificates, selectors_learning
from .errors import (
    AttemptNotFound,
    BankNotFound,
    CertificateNotFound,
    ExamNotFound,
    InvalidComposition,
    InvalidOverride,
    LawTextNotFound,
    LawTextReadOnly,
    OverrideNotFound,
    PracticeRoundNotFound,
    PracticeSetNotFound,
    QuestionNotFound,
    UnitNotAllowed,
    UnitNotFound,
)
from .i18n import join_list
from .models import (
    Attempt,
    Certificate,
    Exam,
    ExamOverride,
    LawText,
    PracticeRound,
    PracticeSet,
    Question,
    QuestionBank,
)
from .selectors_laws import law_texts_for


def access_exam_to_read(user: User, exam_id: int) -> Exam:
    """An exam the person may sit, manage or read results of, with their own attempts as ``my_attempts``."""
    exam = selectors.exams_visible_to(user).filter(pk=exam_id).first()
    if exam is None:
        raise ExamNotFound()
    return exam


def access_exam_to_manage(user: User, exam_id: int) -> Exam:
    """An exam owned by a unit in the organizer's subtree."""
    exam = selectors.exams_managed_by(user).filter(pk=exam_id).first()
    if exam is None:
        raise ExamNotFound()
    return exam


def access_exam_to_sit(user: User, exam_id: int) -> Exam:
    """A published or closed exam; whether this person may start it now is ``attempt_start``'s to say
    (window, audience, attempts left), with its own errors."""
    exam = caching.cached_exam(exam_id)  # every start of an exam's opening asks: one cache round trip
    if exam is None or exam.status == Exam.Status.DRAFT:
        raise ExamNotFound()
    return exam


def access_exam_results(user: User, exam_id: int) -> Exam:
    """An exam whose leaderboards the person may read: staff of its reach, or its audience once published."""
    # with its unit and audience: a participant's read costs no query here
    return exam_results_readable(user, caching.cached_exam(exam_id))


def exam_results_readable(user: User, exam: Exam | None) -> Exam:
    """``access_exam_results`` of an exam read already (``caching.cached_exam_and``: with the board, in one
    round trip); None: no such exam."""
    if exam is None or not selectors.exam_can_be_read_by(exam=exam, user=user):
        raise ExamNotFound()
    return exam


def access_exam_results_for_staff(user: User, exam_id: int) -> Exam:
    """An exam whose results, roster lists and exports an organizer or HR person reads (for their subtree)."""
    exam = selectors.exams_with_results_for(user).select_related("unit").filter(pk=exam_id).first()
    if exam is None:
        raise ExamNotFound()
    return exam


def access_results_unit(user: User, unit_id: int | None, *, default: Unit | None = None) -> Unit:
    """The unit whose subtree a results reader asked for: inside their own subtree (anywhere for the
    superuser). Not asked for: their own unit, else ``default`` (e.g. the exam's unit)."""
    scope = selectors.results_unit_scope(user)
    if unit_id is None:
        unit = scope or default or Unit.objects.filter(parent=None).order_by("path").first()
    else:
        unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or (scope is not None and not unit.is_within(scope)):
        raise UnitNotFound()
    return unit


def access_exam_unit(exam: Exam, unit_id: int | None) -> Unit | None:
    """A unit inside the exam's owning unit's subtree (None when not asked for)."""
    if unit_id is None:
        return None
    unit = Unit.objects.filter(scopes.subtree_q(exam.unit)).filter(pk=unit_id).first()
    if unit is None:
        raise UnitNotFound()
    return unit


def access_own_attempt(user: User, attempt_id: int) -> Attempt:
    attempt = Attempt.objects.select_related("exam").filter(pk=attempt_id, user=user).first()
    if attempt is None:
        raise AttemptNotFound()
    return attempt


def access_own_certificate(user: User, exam_id: int) -> Certificate:
    """The person's own valid certificate for an exam."""
    exam = Exam.objects.filter(pk=exam_id).first()
    certificate = None if exam is None else selectors_certificates.certificate_of(exam=exam, user_id=user.pk)
    if certificate is None:
        raise CertificateNotFound()
    return certificate


def access_certificate_for_staff(user: User, exam_id: int, person_id: int) -> Certificate:
    """A person's valid certificate, for an organizer or HR person who reads the exam's results and
    whose subtree holds the person (anyone's for the superuser)."""
    exam = access_exam_results_for_staff(user, exam_id)
    scope = selectors.results_unit_scope(user)
    certificate = selectors_certificates.certificate_of(exam=exam, user_id=person_id, within=scope)
    if certificate is None:
        raise CertificateNotFound()
    return certificate


def access_bank_to_manage(user: User, bank_id: int) -> QuestionBank:
    bank = selectors.banks_for(user).filter(pk=bank_id).first()
    if bank is None:
        raise BankNotFound()
    return bank


def access_question_to_manage(user: User, question_id: int) -> Question:
    """A question of a bank the organizer manages (e.g. to regrade it)."""
    question = Question.objects.filter(bank__in=selectors.banks_for(user), pk=question_id).first()
    if question is None:
        raise QuestionNotFound()
    return question


def access_unit_for_new_content(user: User, unit_id: int | None) -> Unit:
    """The unit a new bank or exam belongs to: the one asked for, if within the person's subtree, else
    their own unit."""
    if unit_id is not None:
        unit = scopes.staff_units(user).filter(pk=unit_id).first()
        if unit is None:
            raise UnitNotAllowed(fields={"unit_id": [UnitNotAllowed.default_message]})
        return unit
    if user.unit is None:
        raise UnitNotAllowed(_("请指定所属单位。"), fields={"unit_id": [_("请指定所属单位。")]})
    return user.unit


def access_audience_units(user: User, unit_ids: Iterable[int]) -> list[Unit]:
    """The audience units of an exam the person composes: all of them within their subtree."""
    wanted = set(unit_ids)
    reachable = list(scopes.staff_units(user).filter(pk__in=wanted))
    if len(reachable) != len(wanted):
        message = _("参考单位必须在您管理的单位范围内。")
        raise InvalidComposition(message, fields={"audience_unit_ids": [message]})
    return reachable


def access_questions_for_composition(user: User, question_ids: Iterable[int]) -> dict[int, Question]:
    """Questions for a fixed paper, by id: all of them from banks the organizer manages."""
    wanted = list(question_ids)
    questions = Question.objects.filter(bank__in=selectors.banks_for(user)).in_bulk(wanted)
    missing = [qid for qid in wanted if qid not in questions]
    if missing:
        message = _("试题不存在或无权使用：%(ids)s") % {"ids": join_list(missing)}
        raise InvalidComposition(message, fields={"fixed_questions": [message]})
    return questions


def access_banks_for_composition(user: User, bank_ids: Iterable[int]) -> set[int]:
    """Ids of the banks that draw rules name: all of them banks the organizer manages."""
    wanted = set(bank_ids)
    reachable = set(selectors.banks_for(user).filter(pk__in=wanted).values_list("pk", flat=True))
    unknown = sorted(wanted - reachable)
    if unknown:
        message = _("题库不存在或无权使用：%(ids)s") % {"ids": join_list(unknown)}
        raise InvalidComposition(message, fields={"draw_rules": [message]})
    return reachable


def access_people_of_exam(
    user: User, exam: Exam, *, user_ids: Sequence[int] | None = None, unit_id: int | None = None
) -> QuerySet[User]:
    """The people an organizer may give an override or a make-up of ``exam`` (which they manage): its
    audience (``leaderboards.people_q``; an open quiz: participants of the owning unit's subtree), within the
    organizer's subtree, narrowed to ``user_ids`` (each of them must qualify) and/or ``unit_id``'s subtree."""
    people = scopes.scope_to_staff(User.objects.filter(leaderboards.people_q(exam)), user, "unit")
    if exam.is_public:
        people = people.filter(scopes.subtree_q(exam.unit, "unit"))
    if unit_id is not None:
        unit = scopes.staff_units(user).filter(pk=unit_id).first()
        if unit is None:
            raise InvalidOverride(fields={"unit_id": [UnitNotAllowed.default_message]})
        people = people.filter(scopes.subtree_q(unit, "unit"))
    if user_ids is not None:
        wanted = set(user_ids)
        people = people.filter(pk__in=wanted)
        missing = sorted(wanted - set(people.values_list("pk", flat=True)))
        if missing:
            message = _("以下人员不在本次考试的参考范围或您管理的范围内：%(ids)s") % {"ids": join_list(missing)}
            raise InvalidOverride(message, fields={"user_ids": [message]})
    return people


def access_override(user: User, exam: Exam, override_id: int) -> ExamOverride:
    """An override of ``exam`` (which the organizer manages) given to someone within the organizer's subtree."""
    overrides = scopes.scope_to_staff(ExamOverride.objects.filter(exam=exam), user, "user__unit")
    override = overrides.select_related("user").filter(pk=override_id).first()
    if override is None:
        raise OverrideNotFound()
    return override


def access_law_text_to_read(user: User, law_id: int) -> LawText:
    """A text of the organizer's library (shipped, their unit's ancestors', their subtree's)."""
    law = law_texts_for(user).filter(pk=law_id).first()
    if law is None:
        raise LawTextNotFound()
    return law


def access_law_text_to_manage(user: User, law_id: int) -> LawText:
    """A text that the organizer's subtree added: readable ones of others are ``LawTextReadOnly``."""
    law = access_law_text_to_read(user, law_id)
    if law.unit is None:
        raise LawTextReadOnly()
    if not scopes.scope_to_staff(LawText.objects.filter(pk=law.pk), user, "unit").exists():
        raise LawTextReadOnly()
    return law


def access_practice_set_to_practise(user: User, practice_set_id: int) -> PracticeSet:
    """An open practice set whose audience reaches the person's unit."""
    practice_set = selectors_learning.practice_sets_for(user).filter(pk=practice_set_id).first()
    if practice_set is None:
        raise PracticeSetNotFound()
    return practice_set


def access_practice_set_to_manage(user: User, practice_set_id: int) -> PracticeSet:
    """A practice set owned by a unit of the organizer's subtree."""
    practice_set = selectors_learning.practice_sets_managed_by(user).filter(pk=practice_set_id).first()
    if practice_set is None:
        raise PracticeSetNotFound()
    return practice_set


def access_own_round(user: User, round_id: int) -> PracticeRound:
    practice_round = PracticeRound.objects.filter(pk=round_id, user=user).select_related("tag").first()
    if practice_round is None:
        raise PracticeRoundNotFound()
    return practice_round
