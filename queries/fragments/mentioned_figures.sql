-- The figures of the documents $documents whose printed name or narrative sentence holds one of the
-- words asked ($keywords, a regular expression: "专项债" in "其他地方自行试点项目收益专项债券收入安排的支出"),
-- other than the items' own figures (item_figures has those): for "有没有…" asked in words no row is
-- printed as.
select d.* from document_figures as d
where (regexp_matches(d.item, $keywords) or (d.source = 'text' and regexp_matches(d.sentence, $keywords)))
  and not (list_has_any(d.concepts, $concepts) or list_contains($names, d.item) or list_contains($codes, d.code))
