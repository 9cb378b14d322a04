"""The console's people pages: the organizer's unit tree (add, rename, move, deactivate), the people of their
subtree, one person with their attempts, and a new initial password. Organizers only, within their scope;
a unit or person outside it answers 404."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import scopes
from accounts.access import access_managed_unit, access_person
from accounts.audit import AuditContext
from accounts.errors import ManagedUnitNotFound
from accounts.models import Unit, User
from accounts.selectors import people_for
from accounts.services.people import user_password_issue
from accounts.services.units import unit_add, unit_change
from quizzes import selectors

from ..pagination import PageNumberPagination
from ..permissions import IsOrganizer, request_user
from ..serializers.accounts import (
    InitialPasswordSerializer,
    ManagedUnitSerializer,
    PeopleQuerySerializer,
    PersonDetailSerializer,
    PersonSerializer,
    UnitCreateSerializer,
    UnitUpdateSerializer,
)


def managed_units(user: User) -> QuerySet[Unit]:
    active = Count("members", filter=Q(members__is_active=True))
    return scopes.scope_to_staff(Unit.objects.all(), user, "").annotate(people=active).order_by("path")


class ManagedUnitListView(APIView):
    """The organizer's subtree (their own unit first), deactivated units included, in tree order."""

    permission_classes = [IsOrganizer]

    @extend_schema(operation_id="units_managed", responses=ManagedUnitSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(ManagedUnitSerializer(managed_units(request_user(request)), many=True).data)

    @extend_schema(operation_id="unit_create", request=UnitCreateSerializer, responses={201: ManagedUnitSerializer})
    def post(self, request: Request) -> Response:
        user = request_user(request)
        data = UnitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent = access_managed_unit(user, data.validated_data["parent_id"])
        unit = unit_add(
            parent=parent,
            name=data.validated_data["name"],
            kind=data.validated_data["kind"],
            audit=AuditContext.from_request(request),
        )
        return Response(ManagedUnitSerializer(managed_units(user).get(pk=unit.pk)).data, status=status.HTTP_201_CREATED)


class ManagedUnitDetailView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(operation_id="unit_update", request=UnitUpdateSerializer, responses=ManagedUnitSerializer)
    def patch(self, request: Request, unit_id: int) -> Response:
        user = request_user(request)
        unit = managed_units(user).filter(pk=unit_id).first()
        if unit is None:
            raise ManagedUnitNotFound()
        data = UnitUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        parent_id = values.get("parent_id")
        unit_change(
            unit=unit,
            scope=None if user.is_superuser else scopes.staff_unit(user),
            name=values.get("name"),
            kind=values.get("kind"),
            parent=access_managed_unit(user, parent_id) if parent_id is not None else None,
            is_active=values.get("is_active"),
            audit=AuditContext.from_request(request),
        )
        return Response(ManagedUnitSerializer(managed_units(user).get(pk=unit.pk)).data)


@extend_schema_view(get=extend_schema(operation_id="people_list", parameters=[PeopleQuerySerializer]))
class PeopleListView(generics.ListAPIView[User]):
    """The accounts of the organizer's subtree: search by name, account or mobile number, filter by a unit's subtree."""

    permission_classes = [IsOrganizer]
    serializer_class = PersonSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self) -> QuerySet[User]:
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        user = request_user(self.request)
        query = PeopleQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        unit_id = query.validated_data.get("unit")
        unit = access_managed_unit(user, unit_id) if unit_id is not None else None
        return people_for(user, search=query.validated_data.get("q", ""), unit=unit)


class PersonDetailView(APIView):
    permission_classes = [IsOrganizer]

    @extend_schema(operation_id="person_detail", responses=PersonDetailSerializer)
    def get(self, request: Request, user_id: int) -> Response:
        person = access_person(request_user(request), user_id)
        person.attempt_list = list(selectors.person_attempts(person=person))  # type: ignore[attr-defined]
        return Response(PersonDetailSerializer(person).data)


class PersonPasswordView(APIView):
    """A new generated initial password, shown once; the person must change it at their next sign-in."""

    permission_classes = [IsOrganizer]

    @extend_schema(operation_id="person_password_issue", request=None, responses=InitialPasswordSerializer)
    def post(self, request: Request, user_id: int) -> Response:
        user = request_user(request)
        person = access_person(user, user_id)
        password = user_password_issue(user=person, actor=user, audit=AuditContext.from_request(request))
        return Response(InitialPasswordSerializer({"password": password}).data)
