#include <arch/csr.h>
#include <arch/plic.h>

static volatile uint8_t *plic;
static uint32_t sources;
static uint32_t ctx;

static volatile uint32_t *reg(uint64_t offset)
{
	return (volatile uint32_t *)(plic + offset);
}

void plic_init(volatile uint8_t *regs, uint32_t ndev, uint32_t context)
{
	plic = regs;
	sources = ndev;
	ctx = context;
	for (uint32_t word = 0; word <= ndev / 32; word++)
		*reg(0x2000 + 0x80 * (uint64_t)ctx + 4 * word) = 0;
	*reg(0x200000 + 0x1000 * (uint64_t)ctx) = 0;
	csr_set(sie, SIE_SEIE);
}

void plic_enable(uint32_t source)
{
	if (!plic || source == 0 || source > sources)
		return;
	*reg(4 * (uint64_t)source) = 1;
	*reg(0x2000 + 0x80 * (uint64_t)ctx + 4 * (source / 32)) |= 1u << (source % 32);
}

void plic_disable(uint32_t source)
{
	if (!plic || source == 0 || source > sources)
		return;
	*reg(0x2000 + 0x80 * (uint64_t)ctx + 4 * (source / 32)) &= ~(1u << (source % 32));
}

uint32_t plic_claim(void)
{
	return plic ? *reg(0x200004 + 0x1000 * (uint64_t)ctx) : 0;
}

void plic_complete(uint32_t source)
{
	if (plic)
		*reg(0x200004 + 0x1000 * (uint64_t)ctx) = source;
}
