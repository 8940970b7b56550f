-- id: item_occurrences
-- title: 项目出现在哪些表
-- description: 一个项目在文档各张表中的每一处数字（表名、页码、行、列），用来核对各表是否一致。
-- examples: 三公经费在哪些表里 | 基本支出出现在哪几张表 | 机关运行经费在哪里
-- slots: documents, lookups, figure
-- needs: item
-- match: 哪些表|哪几张表|哪张表|哪个表|在哪|哪里|出处|出现
-- priority: 36
-- uses: item_rows
select r.document_id, r.place, r.page, r.label, r.measure, r.printed, r.amount, r.unit, r.amount_yuan, r.is_empty
from item_rows as r
where r.item_no = 1
order by r.page, r.kind_rank, r.row_rank, r.measure_rank
