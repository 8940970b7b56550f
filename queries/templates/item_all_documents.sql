-- id: item_all_documents
-- title: 各文档的金额
-- description: 每一份符合条件的文档中同一项目的金额（可按年度、预算/决算筛选），按单位和年度排列。
-- examples: 各部门三公经费 | 所有文档的基本支出 | 2017年各单位会议费
-- slots: documents, lookups, figure
-- needs: item
-- scope: all
-- match: (各|所有|全部|每个|每一个|每家)(个)?(部门|单位|机构|文档|文件)|各文档|一览
-- priority: 47
-- uses: item_rows, item_best
select b.document_id, d.body, d.year, d.phase, d.edition, b.place, b.page, b.label, b.printed, b.amount,
       b.unit, b.amount_yuan, b.is_empty
from documents as d
left join item_best as b on b.document_id = d.document_id and b.item_no = 1
where list_contains($documents, d.document_id)
order by d.body, d.year, d.phase, d.edition
