-- id: largest_rows
-- title: 支出最多的科目
-- description: 支出表（一般公共预算支出表优先）中金额最大的“项”级功能科目，从大到小，取合计栏。
-- examples: 支出最多的科目 | 前五大支出科目 | 钱主要花在哪些科目
-- slots: document, limit
-- match: 科目.*(最多|最大|最高|排名|排行|前)|(最多|最大|最高|前\d+|前[一二两三四五六七八九十]).*科目|钱.*花在|支出结构|主要支出
-- priority: 26
-- compose: listing
-- operators: rank
with chosen as (
    select t.table_no, t.title
    from doc_tables as t
    where t.document_id = $document and t.kind in ('general_expenditure', 'expenditure', 'fiscal_expenditure')
    order by list_position(['general_expenditure', 'expenditure', 'fiscal_expenditure'], t.kind), t.table_no
    limit 1
)
select c.title as place, f.page, f.code || ' ' || f.row_name as label, f.printed,
       f.value as amount, f.unit, f.value_yuan as amount_yuan
from figures as f
join chosen as c on c.table_no = f.table_no
where f.document_id = $document and f.classification = 'functional' and length(f.code) = 7
qualify row_number() over (partition by f.row_no order by f.col_no) = 1
order by f.value_yuan desc nulls last, f.row_no
limit $limit
