-- id: item_execution
-- title: 预算执行率
-- description: 决算文档中一个项目的决算数除以预算数（两栏都印出时），列出公式和两个数字。
-- examples: 普陀区财政局2024年公务接待费执行率 | 普陀区财政局2024年决算三公经费预算完成率
-- slots: documents, lookups, figure
-- needs: item
-- match: 执行率|完成率|执行了多少|执行情况|预算完成|完成预算
-- priority: 32
-- uses: item_rows
select r.document_id, r.place, r.page, r.label, r.measure, r.printed, r.amount, r.unit, r.amount_yuan,
       r.figure_kind
from item_rows as r
where r.table_no = (select min(x.table_no) from item_rows as x where x.figure_kind = '预算数')
qualify row_number() over (
    partition by r.figure_kind
    order by r.lookup_rank, r.amount is null, r.kind_rank, r.row_rank, r.page, r.measure_rank
) = 1
order by r.figure_kind desc
