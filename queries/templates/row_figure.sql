-- id: row_figure
-- title: 表中某行的金额
-- description: 任一表格中印出的某一行（科目名称或科目编码）的各列金额。
-- examples: 基本工资多少 | 办公费是多少 | 2010301是多少 | 住房公积金多少
-- slots: document, row
select t.title as place, t.kind, f.page, f.item_name as label, f.item_code, f.measure, f.printed,
       f.amount, f.unit, f.amount_yuan, t.is_empty
from facts as f
join doc_tables as t on t.document_id = f.document_id and t.table_no = f.table_no
where f.document_id = $document and (f.item = $row or f.item_code = $row)
order by t.table_no, f.row_no, f.col_no
