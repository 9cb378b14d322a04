from typing import Any

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500

    def page_data(self, rows: list[Any] | None) -> dict[str, Any]:
        """The page that ``paginate_queryset`` just cut, as the paged serializers take it: count, links, results."""
        assert self.page is not None
        return {
            "count": self.page.paginator.count,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": rows or [],
        }
