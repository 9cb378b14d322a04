from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import segno
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import scopes
from accounts.audit import AuditContext
from accounts.models import User
from quizzes import caching, leaderboards, selectors
from quizzes.access import (
    access_exam_results,
    access_exam_to_manage,
    access_exam_to_read,
    access_exam_to_sit,
    access_exam_unit,
    access_question_to_manage,
    exam_results_readable,
)
from quizzes.models import Exam
from quizzes.services.attempts import attempt_start, exam_regrade_question
from quizzes.services.exams import (
    draw_rules_availability,
    exam_close,
    exam_create_by,
    exam_publish,
    exam_update_by,
    paper_compose,
)

from ..links import participant_url
from ..negotiation import json_with_rendered
from ..pagination import PageNumberPagination
from ..permissions import IsAuthenticatedWithCurrentPassword, IsOrganizer, request_user
from ..renderers import JSONRenderer, dumps
from ..serializers.attempts import AttemptSerializer
from ..serializers.exams import (
    ConsoleExamQuerySerializer,
    ConsoleExamSerializer,
    DrawAvailabilityInputSerializer,
    DrawAvailabilitySerializer,
    ExamDetailSerializer,
    ExamInputSerializer,
    ExamSerializer,
    ExamUpdateInputSerializer,
    PersonLeaderboardSerializer,
    RegradeInputSerializer,
    RegradeResultSerializer,
    SamplePaperSerializer,
    UnitLeaderboardQuerySerializer,
    UnitLeaderboardSerializer,
    person_row_json_at,
    person_rows_json,
)
from .attempts import render_attempt


class ExamListView(generics.ListAPIView[Exam]):
    """Exams the requester may sit, manage or read results of, each with their own attempts."""

    serializer_class = ExamSerializer

    def get_permissions(self) -> list[BasePermission]:
        return [IsOrganizer() if self.request.method == "POST" else IsAuthenticatedWithCurrentPassword()]

    def get_queryset(self) -> QuerySet[Exam]:
        if getattr(self, "swagger_fake_view", False):
            return Exam.objects.none()
        return selectors.exams_visible_to(request_user(self.request))

    @extend_schema(request=ExamInputSerializer, responses={201: ExamSerializer})
    def post(self, request: Request) -> Response:
        data = ExamInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        exam = exam_create_by(
            user=request_user(request), audit=AuditContext.from_request(request), **data.validated_data
        )
        return Response(ExamSerializer(exam).data, status=status.HTTP_201_CREATED)


class ConsoleExamListView(generics.ListAPIView[Exam]):
    """The exams the organizer manages, for the console: filtered by state and title, with their audience
    and how many people have started and finished them."""

    permission_classes = [IsOrganizer]
    serializer_class = ConsoleExamSerializer

    def get_queryset(self) -> QuerySet[Exam]:
        if getattr(self, "swagger_fake_view", False):
            return Exam.objects.none()
        query = ConsoleExamQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.exams_for_console(user=request_user(self.request), **query.validated_data)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(parameters=[ConsoleExamQuerySerializer])
    def get(self, request: Request) -> Response:
        return super().get(request)


class ExamDetailView(APIView):
    @extend_schema(responses=ExamDetailSerializer)
    def get(self, request: Request, exam_id: int) -> Response:
        user = request_user(request)
        exam = access_exam_to_read(user, exam_id)
        detail = selectors.exam_detail(exam=exam, user=user)
        return Response(ExamDetailSerializer(exam, context={"detail": detail, "request": request}).data)

    @extend_schema(request=ExamUpdateInputSerializer, responses=ExamSerializer)
    def patch(self, request: Request, exam_id: int) -> Response:
        user = request_user(request)
        exam = access_exam_to_manage(user, exam_id)
        data = ExamUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        exam = exam_update_by(user=user, exam=exam, audit=AuditContext.from_request(request), **data.validated_data)
        return Response(ExamSerializer(exam).data)


class ExamPublishView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(request=None, responses=ExamSerializer)
    def post(self, request: Request, exam_id: int) -> Response:
        exam = access_exam_to_manage(request_user(request), exam_id)
        return Response(ExamSerializer(exam_publish(exam=exam, audit=AuditContext.from_request(request))).data)


class ExamCloseView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(request=None, responses=ExamSerializer)
    def post(self, request: Request, exam_id: int) -> Response:
        exam = access_exam_to_manage(request_user(request), exam_id)
        return Response(ExamSerializer(exam_close(exam=exam, audit=AuditContext.from_request(request))).data)


class ExamStartView(APIView):
    """Start an attempt, or resume the open one (200). The paper never contains the key."""

    @extend_schema(request=None, responses={201: AttemptSerializer, 200: AttemptSerializer})
    def post(self, request: Request, exam_id: int) -> Response:
        user = request_user(request)
        exam = access_exam_to_sit(user, exam_id)
        attempt, created = attempt_start(exam=exam, user=user)
        return Response(
            render_attempt(attempt, exam=exam), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class ParticipantLeaderboardPagination(PageNumberPagination):
    max_page_size = leaderboards.PARTICIPANT_TOP


class PersonLeaderboardView(APIView):
    """People by their counting attempt: score desc, time used asc, submitted_at asc; ties share a rank.
    Staff scoped to a unit read their subtree's rows with full names and global ranks; a participant
    reads the top ``PARTICIPANT_TOP`` rows, with others' names as the exam's privacy setting says, and
    their own row."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # a participant's own row is read with their session (before authentication loads it), and so is their place
        # in the exam's rank index: with the exam and the top rows kept by the worker, the read makes no round trip
        # of its own
        exam_id = kwargs["exam_id"]
        prefixes = (caching.participant_row_prefix(exam_id), caching.own_row_made_prefix(exam_id))
        caching.want_with_session(*prefixes, place_in=exam_id)
        super().initial(request, *args, **kwargs)

    @extend_schema(
        parameters=[OpenApiParameter("page", OpenApiTypes.INT), OpenApiParameter("page_size", OpenApiTypes.INT)],
        responses=PersonLeaderboardSerializer,
    )
    def get(self, request: Request, exam_id: int) -> HttpResponse:
        user = request_user(request)
        if not scopes.is_results_reader(user):  # the same top rows for every participant: cached (quizzes.caching)
            return self._participant(request, exam_id, user)
        exam = access_exam_results(user, exam_id)
        people = leaderboards.people_board_for(exam=exam, viewer=user)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(people.rows, request, self)
        assert paginator.page is not None
        ranked = leaderboards.people_page(
            exam=exam,
            viewer=user,
            board=people,
            rows=page or [],
            start=paginator.page.start_index() - 1,
            listed=paginator.page.paginator.count,
        )
        board = {**paginator.page_data(ranked.rows), "ranked_count": ranked.ranked_count, "me": ranked.me}
        return Response(PersonLeaderboardSerializer(board).data)

    def _participant(self, request: Request, exam_id: int, user: User) -> HttpResponse:
        keys = caching.participant_board_keys(exam_id, user.pk)
        exam, read = caching.cached_exam_and(exam_id, keys, caching.board_generations(exam_id))  # one round trip
        exam = exam_results_readable(user, exam)
        board = caching.cached_participant_board(
            exam=exam, viewer=user, render=person_rows_json, read=read, rerank=person_row_json_at
        )
        paginator = ParticipantLeaderboardPagination()
        page = paginator.paginate_queryset(board.rows, request, self) or []
        # the rows are kept as the JSON answered (as the unit board is): a cached read joins them
        links = {key: value for key, value in paginator.page_data(None).items() if key != "results"}
        body = json_with_rendered({**links, "ranked_count": board.ranked_count}, {"results": page, "me": board.me})
        return HttpResponse(body, content_type=JSONRenderer.media_type)


class UnitLeaderboardView(APIView):
    """The child units of ``parent`` (default: the exam's unit), each over its whole subtree."""

    @extend_schema(parameters=[UnitLeaderboardQuerySerializer], responses=UnitLeaderboardSerializer)
    def get(self, request: Request, exam_id: int) -> HttpResponse:
        query = UnitLeaderboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        parent_id, order = query.validated_data.get("parent"), query.validated_data["order"]
        key = caching.unit_board_key(exam_id=exam_id, parent_id=parent_id, primary=order) + ":json"
        generation_keys = caching.board_generations(exam_id)
        exam, read = caching.cached_exam_and(exam_id, [key], generation_keys)  # the exam and the board: one round trip
        exam = exam_results_readable(request_user(request), exam)
        parent = access_exam_unit(exam, parent_id) or exam.unit

        def board() -> bytes:  # what every reader of this board reads: kept as the JSON answered, the same bytes
            # as DRF's Response would render (one renderer: api/negotiation.py), so that a cached read neither
            # unpickles the rows' decimals nor encodes them again
            ranked = caching.leaderboard_units(exam=exam, parent=parent, primary=order)  # headcounts cached
            data = UnitLeaderboardSerializer(
                {
                    "parent_id": parent.pk,
                    "parent_name": parent.name,
                    "kind": ranked.kind,
                    "order": order,
                    "excellent_percent": ranked.excellent_percent,
                    "results": ranked.rows,
                }
            ).data
            return dumps(data)

        # one reader at a time computes it; meanwhile the others answer the last one (caching.computed_once)
        body = caching.cached(key, generation_keys, board, read=read, may_lag=True)
        return HttpResponse(body, content_type=JSONRenderer.media_type)


class ExamRegradeView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(request=RegradeInputSerializer, responses=RegradeResultSerializer)
    def post(self, request: Request, exam_id: int) -> Response:
        user = request_user(request)
        exam = access_exam_to_manage(user, exam_id)
        data = RegradeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = access_question_to_manage(user, data.validated_data["question_id"])
        count = exam_regrade_question(
            exam=exam,
            question=question,
            reason=data.validated_data["reason"].strip(),
            audit=AuditContext.from_request(request),
        )
        return Response({"regraded_attempts": count})


class DrawAvailabilityView(APIView):
    """How many questions each draw rule of a random paper can draw, as the builder edits the rules, by the
    rule the publish check applies; and one paper's question count and full marks. Nothing is stored."""

    permission_classes = [IsOrganizer]

    @extend_schema(request=DrawAvailabilityInputSerializer, responses=DrawAvailabilitySerializer)
    def post(self, request: Request) -> Response:
        data = DrawAvailabilityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        availability = draw_rules_availability(user=request_user(request), **data.validated_data)
        return Response(DrawAvailabilitySerializer(availability).data)


class SamplePaperView(APIView):
    """One paper of the exam as a participant would get it now, with the key, for its organizers."""

    permission_classes = [IsOrganizer]

    @extend_schema(responses=SamplePaperSerializer)
    def get(self, request: Request, exam_id: int) -> Response:
        exam = access_exam_to_manage(request_user(request), exam_id)
        items = paper_compose(exam=exam)
        paper = {
            "question_count": len(items),
            "max_score": sum((item.points for item in items), Decimal(0)),
            "questions": [
                {"position": i, "question": item.question, "points": item.points} for i, item in enumerate(items, 1)
            ],
        }
        return Response(SamplePaperSerializer(paper).data)


class ExamQrCodeView(APIView):
    """A QR code (PNG) of the exam's participant link, for posters and group chats."""

    permission_classes = [IsOrganizer]

    @extend_schema(operation_id="exam_qr_png", responses={(200, "image/png"): OpenApiTypes.BINARY})
    def get(self, request: Request, exam_id: int) -> HttpResponse:
        exam = access_exam_to_manage(request_user(request), exam_id)
        out = io.BytesIO()
        segno.make(participant_url(request, f"/exams/{exam.pk}"), error="m").save(out, kind="png", scale=10, border=4)
        response = HttpResponse(out.getvalue(), content_type="image/png")
        response["Content-Disposition"] = f'attachment; filename="exam-{exam.pk}-qr.png"'
        return response
