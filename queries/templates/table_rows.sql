-- id: table_rows
-- title: 列出一张表
-- description: 一张标准表格的全部数字：每行的名称（和科目编码）与各列金额，按印刷顺序。
-- examples: 列出三公经费表 | 显示收入总表 | 看看一般公共预算支出表的内容
-- slots: document, kind
-- needs: table, no_item
-- match: 列出|显示|查看|看看|打开|给我看|内容|全文|全部|所有行|整张|看一下|什么样|展示|导出
-- priority: 18
-- compose: listing
select t.title as place, f.page,
       concat_ws('｜', nullif(trim(coalesce(f.code, '') || ' ' || f.row_name), ''), nullif(f.column_name, '')) as label,
       f.printed, f.value as amount, f.unit, f.value_yuan as amount_yuan, t.is_empty
from doc_tables as t
join figures as f on f.document_id = t.document_id and f.table_no = t.table_no
where t.document_id = $document
  and t.table_no = (select min(x.table_no) from doc_tables as x where x.document_id = $document and x.kind = $kind)
order by f.row_no, f.col_no
