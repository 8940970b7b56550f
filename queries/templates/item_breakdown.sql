-- id: item_breakdown
-- title: 项目的构成
-- description: 一个项目由哪些部分构成（如“三公”经费的三部分），各部分的数字及其和。
-- examples: 三公经费由哪些构成 | 基本支出包括哪些 | 公务用车费明细
-- slots: documents, concepts, names, codes
-- needs: item
-- match: 由哪些|包括哪些|包含哪些|构成|组成|明细|分项|细分|哪几部分|哪些部分|各项|都是什么|都有哪些|哪几种|哪些类型|什么类型
-- priority: 30
-- compose: breakdown
-- uses: item_figures, document_figures
-- chart: parts
-- the item's figures, and the narrative's figures stated in the sentence of one of them: the parts a sentence
-- lists after its total ("共有车辆2辆，其中：机要通信用车1辆、应急保障用车1辆…") where no parts are declared
select * from item_figures
union all
select * from document_figures as d
where d.source = 'text'
  and not (list_has_any(d.concepts, $concepts) or list_contains($names, d.item))
  and exists (select 1 from item_figures as i
              where i.source = 'text' and i.document_id = d.document_id and i.page = d.page and i.sentence = d.sentence)
