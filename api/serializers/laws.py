"""The law-text library (法规库): texts, their articles, and adding a text (paste or .txt/.docx upload)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from quizzes.models import LawArticle, LawText

from .fields import FieldsBuiltOnce, IdField


class LawTextSerializer(FieldsBuiltOnce, serializers.ModelSerializer[LawText]):
    unit_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("所属单位；随系统提供的文本为 null")
    )
    unit_name = serializers.SerializerMethodField(help_text=_("所属单位名称；随系统提供的文本为 null"))
    article_count = serializers.IntegerField(read_only=True)
    can_delete = serializers.BooleanField(read_only=True, help_text=_("当前用户可以删除：本单位及下级单位添加的文本"))

    class Meta:
        model = LawText
        fields = [
            "id",
            "name",
            "edition",
            "source",
            "is_current",
            "unit_id",
            "unit_name",
            "article_count",
            "can_delete",
            "created_at",
        ]

    def get_unit_name(self, law: LawText) -> str | None:
        return law.unit.name if law.unit else None


class LawArticleSerializer(FieldsBuiltOnce, serializers.ModelSerializer[LawArticle]):
    class Meta:
        model = LawArticle
        fields = ["number", "sub", "heading", "chapter", "text"]
        read_only_fields = fields  # output only: each field always present


class LawTextDetailSerializer(LawTextSerializer):
    articles = serializers.SerializerMethodField()

    class Meta(LawTextSerializer.Meta):
        fields = [*LawTextSerializer.Meta.fields, "articles"]

    @extend_schema_field(LawArticleSerializer(many=True))
    def get_articles(self, law: LawText) -> list[dict[str, Any]]:
        return LawArticleSerializer(self.context["articles"], many=True).data  # type: ignore[return-value]


class LawTextPasteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, help_text=_("法规名称，如 中国共产党纪律处分条例"))
    edition = serializers.CharField(max_length=200, help_text=_("版本，如 2023年12月8日修订，2024年1月1日起施行"))
    source = serializers.CharField(  # type: ignore[assignment]  # DRF pops declared fields
        required=False, allow_blank=True, default="", help_text=_("来源说明")
    )
    unit_id = IdField(required=False, help_text=_("默认为当前用户所在单位"))
    text = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False, help_text=_("粘贴的法规全文")
    )


class LawTextUploadSerializer(LawTextPasteSerializer):
    file = serializers.FileField(required=False, help_text=_("法规文件：.txt 或 .docx（与 text 二选一）"))


class LawIssueSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField(allow_null=True, help_text=_("行号（文本的行，Word 的段落）"))
    field = serializers.CharField(help_text=_("name、edition 或 text（文本或文件）"))
    code = serializers.CharField()
    message = serializers.CharField()


class LawSampleSerializer(serializers.Serializer[Any]):
    heading = serializers.CharField()
    text = serializers.CharField()


class LawPreviewSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    edition = serializers.CharField()
    article_count = serializers.IntegerField()
    first_heading = serializers.CharField(allow_null=True)
    last_heading = serializers.CharField(allow_null=True)
    chapters = serializers.ListField(child=serializers.CharField(), help_text=_("识别出的编、章、节"))
    sample = LawSampleSerializer(many=True, help_text=_("前三条"))
    errors = LawIssueSerializer(many=True, help_text=_("有错误时不能保存"))  # type: ignore[assignment]
    warnings = LawIssueSerializer(many=True, help_text=_("如条号不连续；可以保存"))
    replaces_current = serializers.CharField(
        allow_null=True, help_text=_("保存后不再是现行版本的已有版本；没有则为 null")
    )
