-- id: economic_classes
-- title: 按经济分类的支出
-- description: 基本支出表中按经济分类的“类”级科目（工资福利支出、商品和服务支出、对个人和家庭的补助……）的金额。
-- examples: 基本支出按经济分类 | 经济分类科目有哪些 | 按经济分类的支出
-- slots: document
-- match: 按经济分类|经济分类(科目)?(有哪些|构成|明细|情况|的支出)|经济科目有哪些|(哪些|有什么)经济(分类|科目)
-- priority: 27
-- compose: listing
with chosen as (
    select t.table_no
    from doc_tables as t
    where t.document_id = $document and t.kind in ('general_basic', 'fiscal_basic', 'economic_summary')
      and exists (select 1 from figures as x where x.document_id = t.document_id and x.table_no = t.table_no
                  and x.classification = 'economic' and length(x.code) = 3)
    order by list_position(['general_basic', 'fiscal_basic', 'economic_summary'], t.kind), t.table_no
    limit 1
)
select t.title as place, f.page, f.code || ' ' || f.row_name as label, f.printed,
       f.value as amount, f.unit, f.value_yuan as amount_yuan
from figures as f
join chosen as c on c.table_no = f.table_no
join doc_tables as t on t.document_id = f.document_id and t.table_no = f.table_no
where f.document_id = $document and f.classification = 'economic' and length(f.code) = 3
qualify row_number() over (partition by f.row_no order by f.col_no) = 1
order by f.row_no
