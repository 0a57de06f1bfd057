"""Keras layers (``keras.layers``): the ``Layer`` base, ``Input``, ``Dense``, ``Flatten``, ``Dropout`` ..."""

from __future__ import annotations

from ._serialization import deserialize, serialize
from .activation_layers import ELU, LeakyReLU, PReLU, ReLU, Softmax
from .adaptive_pooling import (
    AdaptiveAveragePooling1D,
    AdaptiveAveragePooling2D,
    AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D,
    AdaptiveMaxPooling2D,
    AdaptiveMaxPooling3D,
)
from .attention import AdditiveAttention, Attention
from .audio_mel import MelSpectrogram
from .audio_preprocessing import STFTSpectrogram
from .base_layer import Layer
from .bidirectional import Bidirectional
from .conv_1d_variants import DepthwiseConv1D, SeparableConv1D
from .conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from .conv_variants import Conv2DTranspose, DepthwiseConv2D, SeparableConv2D
from .convolutional import Conv1D, Conv2D
from .convolutional_3d import Conv1DTranspose, Conv3D, Conv3DTranspose
from .core import Activation, Dense
from .dense_features import DenseFeatures
from .embedding import Embedding, Masking
from .group_normalization import GroupNormalization
from .input_layer import Input, InputLayer
from .input_spec import InputSpec
from .keras_tensor import KerasTensor
from .lambda_layer import Lambda
from .merging import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from .multi_head_attention import MultiHeadAttention
from .noise import GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D
from .normalization import BatchNormalization, LayerNormalization, UnitNormalization
from .pooling import (
    AveragePooling1D,
    AveragePooling2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPooling1D,
    MaxPooling2D,
)
from .pooling_3d import AveragePooling3D, GlobalAveragePooling3D, GlobalMaxPooling3D, MaxPooling3D
from .preprocessing import CenterCrop, Normalization, Rescaling, Resizing
from .preprocessing_color import (
    RandomColorDegeneration,
    RandomColorJitter,
    RandomGrayscale,
    RandomHue,
    RandomSaturation,
)
from .preprocessing_crop import RandomCrop
from .preprocessing_erasing import RandomErasing
from .preprocessing_filter import RandomGaussianBlur, RandomSharpness
from .preprocessing_geometry import RandomRotation, RandomTranslation, RandomZoom
from .preprocessing_hashed_crossing import HashedCrossing
from .preprocessing_hashing import Hashing
from .preprocessing_lookup import IntegerLookup, StringLookup
from .preprocessing_numeric import CategoryEncoding, Discretization
from .preprocessing_projective import RandomPerspective, RandomShear
from .preprocessing_random import RandomBrightness, RandomContrast, RandomFlip
from .preprocessing_tone import AutoContrast, Equalization, RandomInvert, RandomPosterization, Solarization
from .recurrent import GRU, LSTM, SimpleRNN
from .recurrent_cells import GRUCell, LSTMCell, SimpleRNNCell
from .regularization import ActivityRegularization, Dropout
from .reshaping import Flatten, Reshape
from .rnn import RNN
from .spatial_reshaping import (
    Cropping1D,
    Cropping2D,
    Permute,
    RepeatVector,
    UpSampling1D,
    UpSampling2D,
    ZeroPadding1D,
    ZeroPadding2D,
)
from .spatial_reshaping_3d import Cropping3D, UpSampling3D, ZeroPadding3D
from .stacked_rnn_cells import StackedRNNCells
from .text_vectorization import TextVectorization
from .tfsm_layer import TFSMLayer
from .time_distributed import TimeDistributed

# Keras's other names for the same classes
AvgPool1D, AvgPool2D, MaxPool1D, MaxPool2D = AveragePooling1D, AveragePooling2D, MaxPooling1D, MaxPooling2D
GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
GlobalMaxPool1D, GlobalMaxPool2D = GlobalMaxPooling1D, GlobalMaxPooling2D
Convolution1D, Convolution2D, SeparableConvolution1D = Conv1D, Conv2D, SeparableConv1D
Convolution2DTranspose, SeparableConvolution2D = Conv2DTranspose, SeparableConv2D
AvgPool3D, MaxPool3D = AveragePooling3D, MaxPooling3D
GlobalAvgPool3D, GlobalMaxPool3D = GlobalAveragePooling3D, GlobalMaxPooling3D
Convolution3D, Convolution3DTranspose, Convolution1DTranspose = Conv3D, Conv3DTranspose, Conv1DTranspose

__all__ = [
    "Activation",
    "ActivityRegularization",
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
    "Add",
    "AdditiveAttention",
    "AutoContrast",
    "Average",
    "Attention",
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "BatchNormalization",
    "Bidirectional",
    "CategoryEncoding",
    "CenterCrop",
    "Concatenate",
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "Convolution1D",
    "Convolution1DTranspose",
    "Convolution2D",
    "Convolution2DTranspose",
    "Convolution3D",
    "Convolution3DTranspose",
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "Dense",
    "DenseFeatures",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "Discretization",
    "Dot",
    "Dropout",
    "ELU",
    "Embedding",
    "Equalization",
    "Flatten",
    "GRU",
    "GRUCell",
    "GaussianDropout",
    "GaussianNoise",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAveragePooling3D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalAvgPool3D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPool3D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GlobalMaxPooling3D",
    "GroupNormalization",
    "HashedCrossing",
    "Hashing",
    "Input",
    "InputLayer",
    "InputSpec",
    "IntegerLookup",
    "KerasTensor",
    "LSTM",
    "LSTMCell",
    "Lambda",
    "Layer",
    "LayerNormalization",
    "LeakyReLU",
    "Masking",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "Maximum",
    "MelSpectrogram",
    "Minimum",
    "MultiHeadAttention",
    "Multiply",
    "Normalization",
    "PReLU",
    "RNN",
    "Permute",
    "RandomBrightness",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomContrast",
    "RandomCrop",
    "RandomErasing",
    "RandomFlip",
    "RandomGaussianBlur",
    "RandomGrayscale",
    "RandomHue",
    "RandomInvert",
    "RandomPerspective",
    "RandomPosterization",
    "RandomRotation",
    "RandomSaturation",
    "RandomSharpness",
    "RandomShear",
    "RandomTranslation",
    "RandomZoom",
    "ReLU",
    "RepeatVector",
    "Rescaling",
    "Reshape",
    "Resizing",
    "STFTSpectrogram",
    "SeparableConv1D",
    "SeparableConv2D",
    "SeparableConvolution1D",
    "SeparableConvolution2D",
    "SimpleRNN",
    "SimpleRNNCell",
    "Softmax",
    "Solarization",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "StackedRNNCells",
    "StringLookup",
    "Subtract",
    "TFSMLayer",
    "TextVectorization",
    "TimeDistributed",
    "UnitNormalization",
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
    "add",
    "average",
    "concatenate",
    "deserialize",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "serialize",
    "subtract",
]


from ferroflow._api import public_dir as _public_dir  # noqa: E402

# ``KerasTensor`` is ``keras.KerasTensor``; it stays importable here.
__dir__ = _public_dir(globals(), hidden=("KerasTensor",))
