from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import scopes
from accounts.access import access_person
from accounts.audit import AuditContext
from accounts.models import SiteSettings, Unit
from accounts.services import site_settings_update, user_unlock

from ..permissions import IsAuthenticatedWithCurrentPassword, IsOrganizer, request_user
from ..serializers.accounts import MeSerializer, SiteSettingsSerializer, UnitSerializer


class MeView(APIView):
    """The signed-in person. Readable even while an initial password still has to be changed."""

    allow_initial_password = True

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request_user(request)).data)


class UnitListView(generics.ListAPIView[Unit]):
    """The active units of the tree, flat and in tree order (``path``); public, for the self-signup form."""

    permission_classes = [AllowAny]
    serializer_class = UnitSerializer
    pagination_class = None
    queryset = Unit.objects.filter(is_active=True).order_by("path")


class SiteSettingsView(APIView):
    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsAuthenticatedWithCurrentPassword()]

    @extend_schema(responses=SiteSettingsSerializer)
    def get(self, request: Request) -> Response:
        return Response(SiteSettingsSerializer(SiteSettings.load()).data)

    @extend_schema(request=SiteSettingsSerializer, responses=SiteSettingsSerializer)
    def patch(self, request: Request) -> Response:
        if not scopes.can_manage_site(request_user(request)):
            raise PermissionDenied()
        serializer = SiteSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = site_settings_update(
            self_signup_enabled=serializer.validated_data["self_signup_enabled"],
            audit=AuditContext.from_request(request),
        )
        return Response(SiteSettingsSerializer(row).data)


class UserUnlockView(APIView):
    """Lift a login lockout (too many wrong passwords) of a person in the organizer's subtree, from every
    address at once. Outside the subtree, or no such person: 404."""

    permission_classes = [IsOrganizer]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, user_id: int) -> Response:
        person = access_person(request_user(request), user_id)
        user_unlock(user=person, audit=AuditContext.from_request(request))
        return Response(status=204)
