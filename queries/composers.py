"""Every composer by the name a template's `compose` header gives: rows → an Answer."""

from __future__ import annotations

from collections.abc import Callable

from queries import compose, operations
from queries.answer import Answer
from queries.compose import Context

COMPOSERS: dict[str, Callable[[Context], Answer]] = {
    "listing": compose.listing,
    "documents": compose.documents,
    "document_info": compose.document_info,
    "page_contents": compose.page_contents,
    "values": compose.values,
    "share": compose.share,
    "change": compose.change,
    "sum": compose.total_of,
    "execution": compose.execution,
    "breakdown": compose.breakdown,
    "occurrences": compose.occurrences,
    "explanation": operations.explanation,
    "by_year": compose.by_year,
    "change_years": compose.change_years,
    "growth_years": compose.growth_years,
    "max_year": compose.max_year,
    "rank_top": compose.rank_top,
    "rank_bottom": compose.rank_bottom,
    "above": compose.above,
    "below": compose.below,
    "total": compose.total,
    "average": compose.average,
    "all": compose.all_documents,
    "compare": compose.compare,
    "ratio": operations.ratio,
    "per_unit": operations.per_unit,
    "per_period": operations.per_period,
    "existence": operations.existence,
    "parts_rank": operations.parts_rank,
    "rows_rank": operations.rows_rank,
    "difference": operations.difference,
    "remainder": operations.remainder,
    "share_of_sum": operations.share_of_sum,
}
