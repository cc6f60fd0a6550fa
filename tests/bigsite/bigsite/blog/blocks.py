from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    author = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "blog/blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "link"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title")
    paragraph = blocks.RichTextBlock(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    image = ImageBlock()
    document = DocumentChooserBlock()
    embed = EmbedBlock(max_width=800)
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    table = TableBlock()
    figures = TypedTableBlock([
        ("text", blocks.CharBlock()),
        ("number", blocks.DecimalBlock()),
        ("date", blocks.DateBlock()),
    ])
    author = SnippetChooserBlock("blog.Author")
    code = blocks.StructBlock([
        ("language", blocks.ChoiceBlock(choices=[("python", "Python"), ("shell", "Shell")])),
        ("source", blocks.TextBlock()),
    ], icon="code")
