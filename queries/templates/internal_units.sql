-- id: internal_units
-- title: 机构设置
-- description: 文档所写的机构设置：内设机构（股室、处室）、下属和所属单位、纳入预算（决算）编制范围的单位。
-- examples: 机构设置 | 内设机构有哪些 | 有哪些下属单位 | 纳入预算编制范围的有哪些单位
-- slots: document
-- match: 机构设置|纳入[^几多]{0,16}?编制范围[^几多]{0,6}?(?:有哪些|包括哪)|(?:内设机构|内设|股室|处室|科室|下属|所属|直属|派出机构|编制范围|事业单位|预算单位)[^几多]{0,12}?(?:都?有哪些|有哪几|哪几个|是哪个|是哪些|叫什么|名称|名单|包括哪)|(?:有哪些|哪几个|哪些)(?:内设|股室|处室|科室|下属|所属|直属|事业单位|预算单位)|(?:预算|决算)包括哪些?单位|包括哪个|(?:内设|下设)(?:了)?哪些(?:机构|部门|处室|科室|股室)
-- priority: 21
-- compose: listing
select x.label, x.text, x.page
from text_facts as x
where x.document_id = $document and x.kind = 'unit'
order by x.seq
