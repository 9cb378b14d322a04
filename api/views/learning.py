"""Learning between exams (docs/adr/0015): practice sets (organizers open them), practice rounds and their
answers, the wrong-answer book, daily questions and the learning reach for organizers and HR.

Nothing here reads or writes attempts, answers or rankings.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit import AuditContext
from quizzes import selectors_learning
from quizzes.access import (
    access_own_round,
    access_practice_set_to_manage,
    access_practice_set_to_practise,
    access_results_unit,
)
from quizzes.models import PracticeRound, PracticeSet
from quizzes.services.learning import (
    book_round_start,
    daily_round_start,
    practice_answer,
    practice_round_start,
    practice_set_create,
    practice_set_update,
)

from ..pagination import PageNumberPagination
from ..permissions import IsOrganizer, IsResultsReader, request_user
from ..serializers.learning import (
    BookCountSerializer,
    BookPageSerializer,
    BookQuerySerializer,
    BookRoundStartSerializer,
    CalendarQuerySerializer,
    CalendarSerializer,
    ManagedPracticeSetSerializer,
    PracticeAnswerInputSerializer,
    PracticeAnswerOutputSerializer,
    PracticeRoundSerializer,
    PracticeSetInputSerializer,
    PracticeSetSerializer,
    PracticeSetUpdateSerializer,
    ReachQuerySerializer,
    ReachSerializer,
    RoundPageSerializer,
    RoundStartSerializer,
    TagProgressSerializer,
)

PAGE_PARAMETERS = [OpenApiParameter("page", OpenApiTypes.INT), OpenApiParameter("page_size", OpenApiTypes.INT)]
REACH_DEFAULT_DAYS = 30
REACH_MAX_DAYS = 366


def render_round(practice_round: PracticeRound, request: Request) -> dict[str, Any]:
    detail = selectors_learning.round_detail(practice_round=practice_round, user=request_user(request))
    return dict(PracticeRoundSerializer(detail).data)


# --- Organizers -----------------------------------------------------------------------------------------------


class ManagedPracticeSetListView(generics.ListCreateAPIView[PracticeSet]):
    """Practice sets of the organizer's subtree; open a bank (or some of its tags) for practice."""

    permission_classes = [IsOrganizer]
    serializer_class = ManagedPracticeSetSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self) -> QuerySet[PracticeSet]:
        if getattr(self, "swagger_fake_view", False):
            return PracticeSet.objects.none()
        return selectors_learning.practice_sets_managed_by(request_user(self.request))

    @extend_schema(request=PracticeSetInputSerializer, responses={201: ManagedPracticeSetSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PracticeSetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        practice_set = practice_set_create(
            user=request_user(request), audit=AuditContext.from_request(request), **data.validated_data
        )
        fresh = selectors_learning.practice_sets_managed_by(request_user(request)).get(pk=practice_set.pk)
        return Response(ManagedPracticeSetSerializer(fresh).data, status=status.HTTP_201_CREATED)


class ManagedPracticeSetDetailView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(responses=ManagedPracticeSetSerializer)
    def get(self, request: Request, practice_set_id: int) -> Response:
        practice_set = access_practice_set_to_manage(request_user(request), practice_set_id)
        return Response(ManagedPracticeSetSerializer(practice_set).data)

    @extend_schema(request=PracticeSetUpdateSerializer, responses=ManagedPracticeSetSerializer)
    def patch(self, request: Request, practice_set_id: int) -> Response:
        """Change the title, tags, audience or daily count, or stop (``is_open: false``) the practice."""
        user = request_user(request)
        practice_set = access_practice_set_to_manage(user, practice_set_id)
        data = PracticeSetUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        practice_set_update(
            user=user, practice_set=practice_set, audit=AuditContext.from_request(request), **data.validated_data
        )
        fresh = selectors_learning.practice_sets_managed_by(user).get(pk=practice_set.pk)
        return Response(ManagedPracticeSetSerializer(fresh).data)


# --- Participants -------------------------------------------------------------------------------------------------


class PracticeSetListView(generics.ListAPIView[PracticeSet]):
    """The practice sets open to the requester (their unit is in the audience)."""

    serializer_class = PracticeSetSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self) -> QuerySet[PracticeSet]:
        if getattr(self, "swagger_fake_view", False):
            return PracticeSet.objects.none()
        return selectors_learning.practice_sets_for(request_user(self.request))


class PracticeProgressView(APIView):
    """The requester's progress per tag (chapter) of a practice set: questions, seen, answered right."""

    @extend_schema(responses=TagProgressSerializer(many=True))
    def get(self, request: Request, practice_set_id: int) -> Response:
        user = request_user(request)
        practice_set = access_practice_set_to_practise(user, practice_set_id)
        rows = selectors_learning.tag_progress(practice_set=practice_set, user=user)
        return Response(TagProgressSerializer(rows, many=True).data)


class PracticeRoundStartView(APIView):
    """Start a practice round: ``count`` questions of one tag (chapter) or of the whole set, at random. Questions
    of an exam open to the requester now are never drawn."""

    @extend_schema(request=RoundStartSerializer, responses={201: PracticeRoundSerializer})
    def post(self, request: Request, practice_set_id: int) -> Response:
        user = request_user(request)
        practice_set = access_practice_set_to_practise(user, practice_set_id)
        data = RoundStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        practice_round = practice_round_start(
            practice_set=practice_set, user=user, count=data.validated_data["count"], tag=data.validated_data.get("tag")
        )
        return Response(render_round(practice_round, request), status=status.HTTP_201_CREATED)


class DailyRoundView(APIView):
    """Today's daily questions of a practice set: the same for everyone of the requester's unit;
    asking again returns the same round with the answers given."""

    @extend_schema(request=None, responses=PracticeRoundSerializer)
    def post(self, request: Request, practice_set_id: int) -> Response:
        user = request_user(request)
        practice_set = access_practice_set_to_practise(user, practice_set_id)
        return Response(render_round(daily_round_start(practice_set=practice_set, user=user), request))


class PracticeRoundListView(APIView):
    """The requester's rounds, newest first, with their questions answered and right (to resume one)."""

    @extend_schema(operation_id="practice_rounds_list", parameters=PAGE_PARAMETERS, responses=RoundPageSerializer)
    def get(self, request: Request) -> Response:
        paginator = PageNumberPagination()
        rows = paginator.paginate_queryset(selectors_learning.rounds_of(user=request_user(request)), request, self)
        page = paginator.page_data(rows)
        return Response(RoundPageSerializer(page).data)


class PracticeRoundDetailView(APIView):
    """One of the requester's rounds: keys only of the questions answered (and not in an exam open now)."""

    @extend_schema(responses=PracticeRoundSerializer)
    def get(self, request: Request, round_id: int) -> Response:
        return Response(render_round(access_own_round(request_user(request), round_id), request))


class PracticeAnswerView(APIView):
    """Answer one question of a round (once): right or wrong at once, with the key, explanation and legal
    basis. A question of an exam open to the requester now is refused (``question_in_open_exam``)."""

    @extend_schema(request=PracticeAnswerInputSerializer, responses=PracticeAnswerOutputSerializer)
    def put(self, request: Request, round_id: int, question_id: int) -> Response:
        data = PracticeAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = practice_answer(
            round_id=round_id,
            user=request_user(request),
            question_id=question_id,
            choices=data.validated_data["choices"],
        )
        return Response(PracticeAnswerOutputSerializer(result).data)


class BookListView(APIView):
    """The requester's wrong-answer book, latest mistake first; ``retired=true``: the retired ones."""

    @extend_schema(parameters=[BookQuerySerializer, *PAGE_PARAMETERS], responses=BookPageSerializer)
    def get(self, request: Request) -> Response:
        query = BookQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = PageNumberPagination()
        rows = paginator.paginate_queryset(
            selectors_learning.book_entries(user=request_user(request), retired=query.validated_data["retired"]),
            request,
            self,
        )
        page = paginator.page_data(selectors_learning.book_rows(rows or []))
        return Response(BookPageSerializer(page).data)


class BookCountView(APIView):
    """How many questions are in the requester's book (for the home page)."""

    @extend_schema(responses=BookCountSerializer)
    def get(self, request: Request) -> Response:
        return Response(BookCountSerializer(selectors_learning.book_count(user=request_user(request))).data)


class BookRoundStartView(APIView):
    """Practise again ``count`` questions of the requester's book."""

    @extend_schema(request=BookRoundStartSerializer, responses={201: PracticeRoundSerializer})
    def post(self, request: Request) -> Response:
        data = BookRoundStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        practice_round = book_round_start(user=request_user(request), count=data.validated_data["count"])
        return Response(render_round(practice_round, request), status=status.HTTP_201_CREATED)


class DailyCalendarView(APIView):
    """The requester's daily-question streak and the days of a month done."""

    @extend_schema(parameters=[CalendarQuerySerializer], responses=CalendarSerializer)
    def get(self, request: Request) -> Response:
        query = CalendarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        month = query.validated_data.get("month") or f"{today:%Y-%m}"
        year, number = (int(part) for part in month.split("-"))
        calendar = selectors_learning.daily_calendar(user=request_user(request), year=year, month=number, today=today)
        return Response(
            CalendarSerializer(
                {
                    "streak": calendar.streak,
                    "today_done": calendar.today_done,
                    "month": month,
                    "days": [{"date": day, "done": done} for day, done in calendar.days],
                }
            ).data
        )


# --- Organizers and HR ----------------------------------------------------------------------------------------------


def _counts(row: selectors_learning.ReachRow) -> dict[str, Any]:
    return {
        "people": row.people,
        "rounds": row.rounds,
        "answered": row.answered,
        "correct": row.correct,
        "accuracy": row.accuracy,
    }


class LearningReachView(APIView):
    """Practice in a unit's subtree (the requester's own by default; results' scopes): per child unit, rolled
    up, and per day: people, rounds (person-times), questions answered, accuracy. At most a year at a time."""

    permission_classes = [IsResultsReader]

    @extend_schema(parameters=[ReachQuerySerializer], responses=ReachSerializer)
    def get(self, request: Request) -> Response:
        query = ReachQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit = access_results_unit(request_user(request), query.validated_data.get("unit"))
        date_to: date = query.validated_data.get("date_to") or timezone.localdate()
        date_from: date = query.validated_data.get("date_from") or date_to - timedelta(days=REACH_DEFAULT_DAYS - 1)
        date_from = max(date_from, date_to - timedelta(days=REACH_MAX_DAYS - 1))
        reach = selectors_learning.learning_reach(unit=unit, date_from=date_from, date_to=date_to)
        body = {
            "unit_id": unit.pk,
            "unit_name": unit.name,
            "date_from": date_from,
            "date_to": date_to,
            "total": _counts(reach.total),
            "units": [{"unit_id": u.pk, "unit_name": u.name, **_counts(row)} for u, row in reach.units],
            "days": [{"date": day, **_counts(row)} for day, row in reach.days],
        }
        return Response(ReachSerializer(body).data)
