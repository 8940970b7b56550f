-- id: row_figure
-- title: 表中某行的金额
-- description: 任一表格中印出的某一行（按名称找，允许小的错别字）的各列金额，取第一张印有它的表。
-- examples: 基本工资多少 | 办公费是多少 | 住房公积金多少
-- slots: document, row
-- needs: text
-- priority: 90
select t.title as place, f.page, f.item_name as label, f.item_code, f.measure, f.printed,
       f.amount, f.unit, f.amount_yuan, t.is_empty
from facts as f
join doc_tables as t on t.document_id = f.document_id and t.table_no = f.table_no
where f.document_id = $document and f.item = $row
  and f.table_no = (select min(x.table_no) from facts as x where x.document_id = $document and x.item = $row)
order by f.row_no, f.col_no
