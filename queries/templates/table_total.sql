-- id: table_total
-- title: 一张表的合计
-- description: 一张标准表格的合计（总计）行的各列金额。
-- examples: 一般公共预算支出表合计是多少 | 收入总表总计 | 财政拨款收支总表的合计
-- slots: document, kind
-- needs: table, no_item
-- match: 合计|总计|总额|共计|一共|总数
-- priority: 19
-- compose: listing
select t.title as place, f.page, concat_ws('｜', nullif(f.row_name, ''), nullif(f.column_name, '')) as label, f.printed, f.value as amount, f.unit,
       f.value_yuan as amount_yuan, t.is_empty
from doc_tables as t
join figures as f on f.document_id = t.document_id and f.table_no = t.table_no
where t.document_id = $document
  and t.table_no = (select min(x.table_no) from doc_tables as x where x.document_id = $document and x.kind = $kind)
  and regexp_matches(regexp_replace(f.row_name, '\s', '', 'g'), '^(合计|总计|共计|本年(收入|支出)合计|(收入|支出)(总计|合计))$')
order by f.row_no, f.col_no
