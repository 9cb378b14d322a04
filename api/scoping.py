"""The scope of a results request: which exam and which unit of their subtree the requester reads."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.serializers import Serializer

from accounts.models import Unit
from quizzes.access import access_exam_results_for_staff, access_results_unit
from quizzes.models import Exam

from .permissions import request_user


def results_scope(
    request: Request, exam_id: int, query_class: type[Serializer[Any]] | None = None, *, unit_id: int | None = None
) -> tuple[Exam, Unit, dict[str, Any]]:
    """The exam the requester may read results of, the unit of their subtree asked for (the query's ``unit``
    or ``unit_id``; the exam's unit by default) and the validated query."""
    user = request_user(request)
    exam = access_exam_results_for_staff(user, exam_id)
    data: dict[str, Any] = {}
    if query_class is not None:
        query = query_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        unit_id = data.get("unit")
    return exam, access_results_unit(user, unit_id, default=exam.unit), data
