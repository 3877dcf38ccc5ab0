package dev.vprompt.graph.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vprompt.graph.InputSpec;
import org.junit.jupiter.api.Test;

class BackboneSpecTest {

  @Test
  void familySpecsHaveOneCanonicalSpelling() {
    assertEquals("vit(patch=8,dim=48,depth=2,heads=3)", Backbones.requireKnown("vit(heads=3,depth=2,dim=48,patch=8)"));
    assertEquals("vit(patch=8,dim=48,depth=2,heads=3)", Backbones.requireKnown("vit(patch=8,dim=48,depth=2,heads=3,mlp=192)"));
    assertEquals("vit(patch=8,dim=48,depth=2,heads=3,mlp=96)", Backbones.requireKnown("vit(patch=8,dim=48,depth=2,heads=3,mlp=96)"));
    assertEquals("resnet(block=bottleneck,layers=3-4-6-3)",
        Backbones.requireKnown("resnet(layers=3-4-6-3,block=Bottleneck,channels=64-128-256-512)"));
    assertEquals("vit-b16", Backbones.requireKnown("vit-b16"));
    assertEquals("swin(patch=2,window=4,dim=16,depths=2-2,heads=2-4)",
        Backbones.requireKnown("swin(heads=2-4,depths=2-2,dim=16,window=4,patch=2,mlp=4.0,drop_path=0.1)"));
    assertEquals("convnext(depths=1-1-1-1,dims=8-16-32-64)",
        Backbones.requireKnown("convnext(dims=8-16-32-64,depths=1-1-1-1,patch=4,kernel=7,ls=0.000001)"));
  }

  @Test
  void timmConstructorArgumentsBecomeTheSameSpecs() {
    TimmArchitecture vit = TimmArchitecture.ofTimm("vit", "VisionTransformer",
        "{\"img_size\": 32, \"patch_size\": 8, \"num_classes\": 10, \"embed_dim\": 48, \"depth\": 2, \"num_heads\": 3}");
    assertEquals("vit(patch=8,dim=48,depth=2,heads=3)", vit.backbone());
    assertEquals(new InputSpec(32, 32, 3), vit.nativeInput());
    TimmArchitecture resnet = TimmArchitecture.ofTimm(null, "ResNet", "{\"block\": \"BasicBlock\", \"layers\": [2, 2, 2, 2]}");
    assertEquals("resnet(block=basic,layers=2-2-2-2)", resnet.backbone());
    // the named variants are the same architectures as their family spelled out
    assertEquals(ImageNetResNet.variant("resnet18-in").timmWeights().rules().keySet(),
        ImageNetResNet.of(BackboneSpec.parse(resnet.backbone())).timmWeights().rules().keySet());
  }

  @Test
  void badSpecsAndUnbuiltConstructorArgumentsAreRefusedByName() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Backbones.requireKnown("vit(patch=8)"))
        .getMessage().contains("needs dim"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Backbones.requireKnown("vit(patch=8,width=3)"))
        .getMessage().contains("unknown setting 'width'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Backbones.requireKnown("levit(depth=2)"))
        .getMessage().contains("unknown backbone"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TimmArchitecture.ofTimm(null, "ResNet",
        "{\"block\": \"Bottleneck\", \"layers\": [3, 4, 6, 3], \"cardinality\": 32}")).getMessage().contains("[cardinality]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TimmArchitecture.ofTimm("resnet", "VisionTransformer",
        "{}")).getMessage().contains("needs a timm ResNet"));
  }
}
