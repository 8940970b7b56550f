-- id: code_figure
-- title: 科目编码的金额
-- description: 功能分类或经济分类科目编码（如 2010301、30101）在各张表中的金额。
-- examples: 2010301是多少 | 科目30201的金额 | 2080505养老保险缴费多少
-- slots: document, code
-- needs: code
-- priority: 25
select t.title as place, f.page, f.item_code || ' ' || f.item_name as label, f.measure, f.printed, f.amount,
       f.unit, f.amount_yuan, t.is_empty
from facts as f
join doc_tables as t on t.document_id = f.document_id and t.table_no = f.table_no
where f.document_id = $document and f.item_code = $code
order by t.table_no, f.row_no, f.col_no
