"""Results for organizers and HR, within their subtree: a unit's people, who has not sat (未参考名单), the
results exports (xlsx, csv) and the year's law-learning record (学法档案).

Files are streamed: xlsx is written row by row to a temporary file (xlsxwriter's constant_memory mode)
and sent with FileResponse; csv is a generator behind StreamingHttpResponse.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Unit
from quizzes import caching, exports, results, selectors
from quizzes.access import access_results_unit
from quizzes.importing.template import XLSX_CONTENT_TYPE
from quizzes.models import Exam

from ..downloads import CSV_CONTENT_TYPE, attachment, xlsx_file
from ..pagination import PageNumberPagination
from ..permissions import IsResultsReader, request_user
from ..scoping import results_scope
from ..serializers.results import (
    AbsenteePageSerializer,
    LearningRecordsQuerySerializer,
    LiveCountsSerializer,
    PageLeavePageSerializer,
    ResultPageSerializer,
    ResultsExportQuerySerializer,
    ResultsXlsxQuerySerializer,
    UnitPeoplePageSerializer,
    UnitQuerySerializer,
)
from ..serializers.stats import ExamStatsQuerySerializer, ExamStatsSerializer

XLSX_RESPONSE = {(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY}
PAGE_PARAMETERS = [OpenApiParameter("page", OpenApiTypes.INT), OpenApiParameter("page_size", OpenApiTypes.INT)]


def _filters(data: dict[str, Any]) -> results.ResultFilters:
    return results.ResultFilters(
        passed=data.get("passed"), submitted_from=data.get("submitted_from"), submitted_to=data.get("submitted_to")
    )


class _PagedPeopleView(APIView):
    permission_classes = [IsResultsReader]
    absent_only = False
    page_serializer: type[Any] = UnitPeoplePageSerializer

    def people(self, request: Request, exam: Exam, unit: Unit) -> Response:
        paginator = PageNumberPagination()
        rows = paginator.paginate_queryset(
            results.unit_people(exam=exam, unit=unit, absent_only=self.absent_only), request, self
        )
        page = paginator.page_data(rows)
        return Response(self.page_serializer(page).data)


class UnitPeopleView(_PagedPeopleView):
    """Drill-down of the unit ranking: the roster people of a unit's subtree, each with their counted
    result or "not taken" (in an open quiz also everyone off the roster who took part)."""

    @extend_schema(parameters=PAGE_PARAMETERS, responses=UnitPeoplePageSerializer)
    def get(self, request: Request, exam_id: int, unit_id: int) -> Response:
        exam, unit, _query = results_scope(request, exam_id, unit_id=unit_id)
        return self.people(request, exam, unit)


class AbsenteesView(_PagedPeopleView):
    """The not-taken list: the roster people of a unit's subtree without a finished attempt."""

    absent_only = True
    page_serializer = AbsenteePageSerializer

    @extend_schema(parameters=[UnitQuerySerializer, *PAGE_PARAMETERS], responses=AbsenteePageSerializer)
    def get(self, request: Request, exam_id: int) -> Response:
        exam, unit, _query = results_scope(request, exam_id, UnitQuerySerializer)
        return self.people(request, exam, unit)


class PageLeavesView(APIView):
    """Page leaves per attempt of a unit's subtree, in progress or finished, most leaves first: the console
    watches them during the exam. Only attempts that left the page at least once."""

    permission_classes = [IsResultsReader]

    @extend_schema(parameters=[UnitQuerySerializer, *PAGE_PARAMETERS], responses=PageLeavePageSerializer)
    def get(self, request: Request, exam_id: int) -> Response:
        exam, unit, _query = results_scope(request, exam_id, UnitQuerySerializer)
        paginator = PageNumberPagination()
        rows = paginator.paginate_queryset(results.page_leave_rows(exam=exam, unit=unit), request, self)
        page = paginator.page_data(rows)
        return Response(PageLeavePageSerializer(page).data)


class AbsenteesXlsxView(APIView):
    permission_classes = [IsResultsReader]

    @extend_schema(operation_id="exam_absentees_xlsx", parameters=[UnitQuerySerializer], responses=XLSX_RESPONSE)
    def get(self, request: Request, exam_id: int) -> FileResponse:
        exam, unit, _query = results_scope(request, exam_id, UnitQuerySerializer)
        rows = results.unit_people(exam=exam, unit=unit, absent_only=True).iterator(chunk_size=selectors.CHUNK)
        return xlsx_file(
            lambda out: exports.write_absentees_xlsx(out, rows=rows),
            _("%(title)s-未参考名单.xlsx") % {"title": exam.title},
        )


class ResultsListView(APIView):
    """results.xlsx's first sheet as a paged list, same filters: one row per person of the unit's subtree
    with a counting attempt, in leaderboard order with the global rank. The rows are ranked over the whole
    exam, so a page is cut from the ranked stream (one query)."""

    permission_classes = [IsResultsReader]

    @extend_schema(
        operation_id="exam_results_list",
        parameters=[ResultsExportQuerySerializer, *PAGE_PARAMETERS],
        responses=ResultPageSerializer,
    )
    def get(self, request: Request, exam_id: int) -> Response:
        exam, unit, data = results_scope(request, exam_id, ResultsExportQuerySerializer)
        paginator = PageNumberPagination()
        rows = list(results.result_rows(exam=exam, unit=unit, filters=_filters(data)))
        page_rows = paginator.paginate_queryset(rows, request, self)
        page = paginator.page_data(page_rows)
        return Response(ResultPageSerializer(page).data)


class ResultsXlsxView(APIView):
    permission_classes = [IsResultsReader]

    @extend_schema(operation_id="exam_results_xlsx", parameters=[ResultsXlsxQuerySerializer], responses=XLSX_RESPONSE)
    def get(self, request: Request, exam_id: int) -> FileResponse:
        exam, unit, data = results_scope(request, exam_id, ResultsXlsxQuerySerializer)
        filters = _filters(data)
        answers = data["answers"]
        headcounts = caching.cached_unit_headcounts(exam=exam, parent=unit)  # the unit sheet's 应考, as the board's
        return xlsx_file(
            lambda out: exports.write_results_xlsx(
                out, exam=exam, unit=unit, filters=filters, answers=answers, headcounts=headcounts
            ),
            _("%(title)s-成绩.xlsx") % {"title": exam.title},
        )


class ResultsCsvView(APIView):
    permission_classes = [IsResultsReader]

    @extend_schema(
        operation_id="exam_results_csv",
        parameters=[ResultsExportQuerySerializer],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request: Request, exam_id: int) -> StreamingHttpResponse:
        exam, unit, data = results_scope(request, exam_id, ResultsExportQuerySerializer)
        lines = exports.results_csv_lines(exam=exam, unit=unit, filters=_filters(data))
        response = StreamingHttpResponse((line.encode("utf-8") for line in lines), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = attachment(_("%(title)s-成绩.csv") % {"title": exam.title})
        return response


class LearningRecordsXlsxView(APIView):
    """The year's law-learning record: every roster person of the unit's subtree with every exam of the year
    and a conclusion."""

    permission_classes = [IsResultsReader]

    @extend_schema(
        operation_id="learning_records_xlsx", parameters=[LearningRecordsQuerySerializer], responses=XLSX_RESPONSE
    )
    def get(self, request: Request) -> FileResponse:
        user = request_user(request)
        query = LearningRecordsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit = access_results_unit(user, query.validated_data.get("unit"))
        year = query.validated_data["year"]
        exams = results.year_exams(exams=selectors.exams_with_results_for(user), year=year)
        return xlsx_file(
            lambda out: exports.write_learning_records_xlsx(out, exams=exams, unit=unit, year=year),
            _("%(year)s年学法档案.xlsx") % {"year": year},
        )


class ExamStatsView(APIView):
    """The exam's score distribution and item analysis (facility, discrimination, option choices, flags)
    over the finished attempts of the requester's subtree (or of ``unit`` inside it)."""

    permission_classes = [IsResultsReader]

    @extend_schema(parameters=[ExamStatsQuerySerializer], responses=ExamStatsSerializer)
    def get(self, request: Request, exam_id: int) -> Response:
        exam, unit, data = results_scope(request, exam_id, ExamStatsQuerySerializer)
        stats = caching.cached_exam_stats(exam=exam, unit=unit, attempt_set=data["attempts"])
        return Response(ExamStatsSerializer(stats, context={"exam_id": exam.pk}).data)


class ExamLiveView(APIView):
    """The live dashboard's counts of a running exam: started, sitting now, submitted, against the roster
    of the requester's subtree (or of ``unit`` inside it). Cached for a few seconds."""

    permission_classes = [IsResultsReader]

    @extend_schema(parameters=[UnitQuerySerializer], responses=LiveCountsSerializer)
    def get(self, request: Request, exam_id: int) -> Response:
        exam, unit, _query = results_scope(request, exam_id, UnitQuerySerializer)
        counts = caching.cached_live_counts(exam=exam, unit=unit)
        return Response(LiveCountsSerializer(counts, context={"exam_id": exam.pk}).data)
